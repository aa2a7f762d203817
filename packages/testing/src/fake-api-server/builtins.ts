/**
 * The built-in resources an operator meets, with the per-kind rules of their real
 * registries that matter to clients: scope, short names, categories, subresources,
 * generation, status split, the DELETE answer, field selector labels and defaults.
 * Custom resources get their types from CRDs instead (`crds.ts`).
 */
import { establishedStatus, markCrdTerminating, validateCrd } from './crds.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './events-conversion.js';
import {
  ALL_VERBS,
  type FieldLabelReader,
  fieldAt,
  groupVersionOf,
  type KindRules,
  type ResourceType,
  type Subresource,
  type Verb,
} from './kinds.js';
import { isJsonObject, type JsonObject, metaOf } from './objects.js';
import { BUILTIN_COLUMNS } from './printer-columns.js';
import { bindingRules } from './rbac-kinds.js';
import { webhookConfigurationRules } from './webhook-configurations.js';

interface BuiltinSpec {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly subresources?: readonly Subresource[];
  readonly verbs?: readonly Verb[];
  readonly rules?: Partial<KindRules>;
  readonly fieldLabels?: Readonly<Record<string, FieldLabelReader>>;
  readonly storage?: string;
  readonly storageApiVersion?: string;
  readonly fromStorage?: (object: JsonObject) => JsonObject;
  readonly toStorage?: (object: JsonObject) => JsonObject;
}

const DEFAULT_RULES: KindRules = {
  statusSubresource: false,
  generation: false,
  unconditionalUpdate: true,
  returnDeletedObject: false,
  names: 'subdomain',
};

function builtin(spec: BuiltinSpec): ResourceType {
  const subresources = spec.subresources ?? [];
  return {
    group: spec.group,
    version: spec.version,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? ALL_VERBS,
    subresources,
    storage: spec.storage ?? `${spec.group}/${spec.plural}`,
    storageApiVersion: spec.storageApiVersion ?? groupVersionOf(spec),
    builtin: true,
    rules: { ...DEFAULT_RULES, statusSubresource: subresources.includes('status'), ...spec.rules },
    ...(BUILTIN_COLUMNS[spec.plural] ? { columns: BUILTIN_COLUMNS[spec.plural] } : {}),
    ...(spec.plural === 'events' ? { nameColumn: false } : {}),
    fieldLabels: spec.fieldLabels ?? {},
    ...(spec.fromStorage ? { fromStorage: spec.fromStorage } : {}),
    ...(spec.toStorage ? { toStorage: spec.toStorage } : {}),
  };
}

function withDefaults(object: JsonObject, field: string, defaults: JsonObject): JsonObject {
  const current = isJsonObject(object[field]) ? (object[field] as JsonObject) : {};
  return { ...object, [field]: { ...defaults, ...current } };
}

/** A Service gets a cluster IP from 10.96.0.0/16 unless it brings one (or `None`), as the IP allocator does. */
function withClusterIp(service: JsonObject): JsonObject {
  const spec = service.spec as JsonObject;
  if (spec.type === 'ExternalName' || spec.clusterIP) return service;
  const address = `10.96.${Math.floor(Math.random() * 256)}.${2 + Math.floor(Math.random() * 252)}`;
  return { ...service, spec: { ...spec, clusterIP: address, clusterIPs: [address] } };
}

const namespaceRules: Partial<KindRules> = {
  names: 'label',
  returnDeletedObject: true,
  prepareForCreate: (object) => {
    const spec = isJsonObject(object.spec) ? object.spec : {};
    const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : ['kubernetes'];
    return { ...object, spec: { ...spec, finalizers }, status: { phase: 'Active' } };
  },
  prepareForUpdate: (object, old) => {
    const finalizers = (old.spec as JsonObject | undefined)?.finalizers;
    return { ...object, spec: { ...(object.spec as JsonObject), ...(finalizers ? { finalizers } : {}) } };
  },
  pendingFinalizers: (object) => {
    const finalizers = (object.spec as JsonObject | undefined)?.finalizers;
    return Array.isArray(finalizers) && finalizers.length > 0;
  },
  markDeleting: (object) => ({
    ...object,
    status: { ...(object.status as JsonObject), phase: 'Terminating' },
  }),
};

const crdRules: Partial<KindRules> = {
  generation: true,
  validate: validateCrd,
  prepareForCreate: (crd) => ({ ...crd, status: establishedStatus(crd, new Date()) }),
  prepareForUpdate: (crd) => ({ ...crd, status: establishedStatus(crd, new Date()) }),
  pendingFinalizers: (crd) => metaOf(crd).deletionTimestamp === undefined,
  markDeleting: (crd, now) => markCrdTerminating(crd, now),
};

const EVENT_FIELDS: Record<string, FieldLabelReader> = {
  'involvedObject.kind': fieldAt('involvedObject.kind'),
  'involvedObject.namespace': fieldAt('involvedObject.namespace'),
  'involvedObject.name': fieldAt('involvedObject.name'),
  'involvedObject.uid': fieldAt('involvedObject.uid'),
  'involvedObject.apiVersion': fieldAt('involvedObject.apiVersion'),
  'involvedObject.resourceVersion': fieldAt('involvedObject.resourceVersion'),
  'involvedObject.fieldPath': fieldAt('involvedObject.fieldPath'),
  reason: fieldAt('reason'),
  reportingComponent: fieldAt('reportingComponent'),
  source: fieldAt('source.component'),
  type: fieldAt('type'),
};

const EVENTS_V1_FIELDS: Record<string, FieldLabelReader> = {
  'regarding.kind': fieldAt('regarding.kind'),
  'regarding.namespace': fieldAt('regarding.namespace'),
  'regarding.name': fieldAt('regarding.name'),
  'regarding.uid': fieldAt('regarding.uid'),
  'regarding.apiVersion': fieldAt('regarding.apiVersion'),
  'regarding.resourceVersion': fieldAt('regarding.resourceVersion'),
  'regarding.fieldPath': fieldAt('regarding.fieldPath'),
  reason: fieldAt('reason'),
  reportingController: fieldAt('reportingController'),
  type: fieldAt('type'),
};

const POD_FIELDS: Record<string, FieldLabelReader> = Object.fromEntries(
  [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ].map((path) => [path, fieldAt(path)]),
);

const withGeneration: Partial<KindRules> = { generation: true };

/** The review kinds (`access-reviews.ts`): created, answered, never stored. */
function reviewTypes(): ResourceType[] {
  const review = (group: string, version: string, kind: string): ResourceType =>
    builtin({
      group,
      version,
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: false,
      verbs: ['create'],
      storage: `${group}/${kind.toLowerCase()}s`,
    });
  return [
    review('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview'),
    review('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview'),
    review('authentication.k8s.io', 'v1', 'SelfSubjectReview'),
    review('authentication.k8s.io', 'v1beta1', 'SelfSubjectReview'),
  ];
}

/** The built-in resource types, in discovery order. */
export function builtinTypes(): ResourceType[] {
  return [
    builtin({
      group: '',
      version: 'v1',
      kind: 'Namespace',
      plural: 'namespaces',
      namespaced: false,
      shortNames: ['ns'],
      subresources: ['status', 'finalize'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      rules: namespaceRules,
      fieldLabels: { 'status.phase': fieldAt('status.phase') },
    }),
    builtin({
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
      plural: 'configmaps',
      namespaced: true,
      shortNames: ['cm'],
    }),
    builtin({
      group: '',
      version: 'v1',
      kind: 'Secret',
      plural: 'secrets',
      namespaced: true,
      rules: { prepareForCreate: (object) => ({ type: 'Opaque', ...object }) },
      fieldLabels: { type: fieldAt('type') },
    }),
    builtin({
      group: '',
      version: 'v1',
      kind: 'ServiceAccount',
      plural: 'serviceaccounts',
      namespaced: true,
      shortNames: ['sa'],
      rules: { returnDeletedObject: true },
    }),
    builtin({
      group: '',
      version: 'v1',
      kind: 'Service',
      plural: 'services',
      namespaced: true,
      shortNames: ['svc'],
      categories: ['all'],
      subresources: ['status'],
      rules: {
        names: 'label-1035',
        returnDeletedObject: true,
        prepareForCreate: (object) => ({
          ...withClusterIp(withDefaults(object, 'spec', { type: 'ClusterIP', sessionAffinity: 'None' })),
          status: { loadBalancer: {} },
        }),
      },
    }),
    builtin({
      group: '',
      version: 'v1',
      kind: 'Pod',
      plural: 'pods',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
      subresources: ['status', 'exec', 'attach', 'portforward'],
      rules: {
        returnDeletedObject: true,
        prepareForCreate: (object) => ({ ...object, status: { phase: 'Pending', qosClass: 'BestEffort' } }),
      },
      fieldLabels: POD_FIELDS,
    }),
    builtin({
      group: '',
      version: 'v1',
      kind: 'Event',
      plural: 'events',
      namespaced: true,
      shortNames: ['ev'],
      fieldLabels: EVENT_FIELDS,
    }),
    builtin({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      plural: 'deployments',
      namespaced: true,
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: ['status'],
      rules: withGeneration,
    }),
    builtin({
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      plural: 'replicasets',
      namespaced: true,
      shortNames: ['rs'],
      categories: ['all'],
      subresources: ['status'],
      rules: withGeneration,
      fieldLabels: { 'status.replicas': fieldAt('status.replicas') },
    }),
    builtin({
      group: 'batch',
      version: 'v1',
      kind: 'Job',
      plural: 'jobs',
      namespaced: true,
      categories: ['all'],
      subresources: ['status'],
      rules: withGeneration,
      fieldLabels: { 'status.successful': fieldAt('status.succeeded') },
    }),
    builtin({
      group: 'coordination.k8s.io',
      version: 'v1',
      kind: 'Lease',
      plural: 'leases',
      namespaced: true,
    }),
    builtin({
      group: 'events.k8s.io',
      version: 'v1',
      kind: 'Event',
      plural: 'events',
      namespaced: true,
      shortNames: ['ev'],
      storage: '/events',
      storageApiVersion: 'v1',
      fromStorage: coreEventToEventsV1,
      toStorage: eventsV1ToCoreEvent,
      fieldLabels: EVENTS_V1_FIELDS,
    }),
    builtin({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
      plural: 'customresourcedefinitions',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      subresources: ['status'],
      rules: crdRules,
    }),
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'ClusterRole',
      plural: 'clusterroles',
      namespaced: false,
      rules: { names: 'path-segment' },
    }),
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'ClusterRoleBinding',
      plural: 'clusterrolebindings',
      namespaced: false,
      rules: { names: 'path-segment', ...bindingRules(false) },
    }),
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'Role',
      plural: 'roles',
      namespaced: true,
      rules: { names: 'path-segment' },
    }),
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'RoleBinding',
      plural: 'rolebindings',
      namespaced: true,
      rules: { names: 'path-segment', ...bindingRules(true) },
    }),
    ...reviewTypes(),
    builtin({
      group: 'admissionregistration.k8s.io',
      version: 'v1',
      kind: 'ValidatingWebhookConfiguration',
      plural: 'validatingwebhookconfigurations',
      namespaced: false,
      categories: ['api-extensions'],
      rules: webhookConfigurationRules(false),
    }),
    builtin({
      group: 'admissionregistration.k8s.io',
      version: 'v1',
      kind: 'MutatingWebhookConfiguration',
      plural: 'mutatingwebhookconfigurations',
      namespaced: false,
      categories: ['api-extensions'],
      rules: webhookConfigurationRules(true),
    }),
  ];
}
