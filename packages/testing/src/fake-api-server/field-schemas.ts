/**
 * The shape knowledge server-side apply needs about an object: which lists are
 * associative (merged by key fields), which are sets of scalars, which are atomic
 * (replaced whole), and which maps are atomic. Custom resources take it from their
 * CRD schema (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
 * `x-kubernetes-map-type`; lists are atomic by default); built-ins from the list
 * markers of their Go types (the ones operators meet); `metadata` is the same for all.
 * Anything the schema does not describe is "deduced" as kube deduces unknown fields:
 * objects are granular maps, lists are atomic.
 */
import { isJsonObject, type JsonObject } from './objects.js';

/** How one field is merged and owned. */
export type FieldSchema =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'deduced' }
  | {
      readonly kind: 'map';
      readonly atomic?: boolean;
      /** Named fields. */
      readonly fields?: Readonly<Record<string, FieldSchema>>;
      /** Every other key (`additionalProperties`); deduced when absent. */
      readonly elements?: FieldSchema;
    }
  | {
      readonly kind: 'list';
      readonly listType: 'atomic' | 'set' | 'map';
      readonly keys?: readonly string[];
      readonly items?: FieldSchema;
    };

/** The schema when nothing is known. */
export const DEDUCED: FieldSchema = { kind: 'deduced' };
const SCALAR: FieldSchema = { kind: 'scalar' };
const STRING_MAP: FieldSchema = { kind: 'map', elements: SCALAR };

/** `metadata` of every kind (apimachinery ObjectMeta's list markers). */
const METADATA: FieldSchema = {
  kind: 'map',
  fields: {
    labels: STRING_MAP,
    annotations: STRING_MAP,
    finalizers: { kind: 'list', listType: 'set', items: SCALAR },
    ownerReferences: { kind: 'list', listType: 'map', keys: ['uid'], items: DEDUCED },
    managedFields: { kind: 'list', listType: 'atomic' },
  },
};

/** The schema of a map's field (or element). */
export function fieldOf(schema: FieldSchema, key: string): FieldSchema {
  if (schema.kind !== 'map') return DEDUCED;
  return schema.fields?.[key] ?? schema.elements ?? DEDUCED;
}

/** The schema of a list's items. */
export function itemsOf(schema: FieldSchema): FieldSchema {
  return schema.kind === 'list' ? (schema.items ?? DEDUCED) : DEDUCED;
}

/** The effective schema for a value: deduced schemas (and mismatches) follow the value's shape. */
export function resolveSchema(schema: FieldSchema, value: unknown): FieldSchema {
  if (schema.kind === 'map' && isJsonObject(value)) return schema;
  if (schema.kind === 'list' && Array.isArray(value)) return schema;
  if (schema.kind === 'scalar') return schema;
  if (isJsonObject(value)) return { kind: 'map' };
  if (Array.isArray(value)) return { kind: 'list', listType: 'atomic' };
  return SCALAR;
}

/** A whole object's schema from its top-level fields (metadata added). */
function objectSchema(fields: Record<string, FieldSchema>): FieldSchema {
  return { kind: 'map', fields: { ...fields, metadata: METADATA } };
}

// --- custom resources: the CRD's openAPIV3Schema

/** Converts an OpenAPI v3 schema (a CRD version's) into a field schema. */
export function fromOpenApi(schema: unknown): FieldSchema {
  if (!isJsonObject(schema)) return DEDUCED;
  const type = schema.type;
  const properties = isJsonObject(schema.properties) ? schema.properties : undefined;
  if (type === 'array' || schema.items !== undefined) {
    const listType = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'];
    return {
      kind: 'list',
      listType: listType === 'set' || listType === 'map' ? listType : 'atomic',
      ...(Array.isArray(keys) ? { keys: keys.map(String) } : {}),
      items: fromOpenApi(schema.items),
    };
  }
  if (type === 'object' || properties) {
    const additional = schema.additionalProperties;
    return {
      kind: 'map',
      ...(schema['x-kubernetes-map-type'] === 'atomic' ? { atomic: true } : {}),
      ...(properties
        ? { fields: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, fromOpenApi(v)])) }
        : {}),
      ...(isJsonObject(additional) ? { elements: fromOpenApi(additional) } : {}),
    };
  }
  if (typeof type === 'string' || schema['x-kubernetes-int-or-string'] === true) return SCALAR;
  return DEDUCED;
}

/** The field schema of a custom resource from its CRD version's schema. */
export function customResourceSchema(openApiV3Schema: unknown): FieldSchema {
  const converted = fromOpenApi(openApiV3Schema);
  const fields = converted.kind === 'map' ? { ...converted.fields } : {};
  return objectSchema(fields);
}

// --- built-ins: the list markers of their Go types

/** A keyed or set list at a dotted path (`[]` steps into list items). */
interface ListMarker {
  readonly listType: 'set' | 'map';
  readonly keys?: readonly string[];
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const keyed = (...keys: string[]): ListMarker => ({ listType: 'map', keys });

function podSpecMarkers(prefix: string): Record<string, ListMarker> {
  const markers: Record<string, ListMarker> = {
    [`${prefix}.volumes`]: keyed('name'),
    [`${prefix}.imagePullSecrets`]: keyed('name'),
    [`${prefix}.hostAliases`]: keyed('ip'),
    [`${prefix}.topologySpreadConstraints`]: keyed('topologyKey', 'whenUnsatisfiable'),
    [`${prefix}.schedulingGates`]: keyed('name'),
    [`${prefix}.resourceClaims`]: keyed('name'),
  };
  for (const list of CONTAINER_LISTS) {
    markers[`${prefix}.${list}`] = keyed('name');
    markers[`${prefix}.${list}[].env`] = keyed('name');
    markers[`${prefix}.${list}[].ports`] = keyed('containerPort', 'protocol');
    markers[`${prefix}.${list}[].volumeMounts`] = keyed('mountPath');
    markers[`${prefix}.${list}[].volumeDevices`] = keyed('devicePath');
  }
  return markers;
}

const CONDITIONS = { 'status.conditions': keyed('type') };
const WORKLOAD = { ...podSpecMarkers('spec.template.spec'), ...CONDITIONS };
const WEBHOOKS = { webhooks: keyed('name'), 'webhooks[].matchConditions': keyed('name') };

const MARKERS_BY_KIND: Readonly<Record<string, Readonly<Record<string, ListMarker>>>> = {
  '/Pod': { ...podSpecMarkers('spec'), ...CONDITIONS },
  '/Service': { 'spec.ports': keyed('port', 'protocol'), ...CONDITIONS },
  '/Namespace': CONDITIONS,
  'apps/Deployment': WORKLOAD,
  'apps/ReplicaSet': WORKLOAD,
  'batch/Job': WORKLOAD,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': WEBHOOKS,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': WEBHOOKS,
  'apiextensions.k8s.io/CustomResourceDefinition': {
    'spec.versions': keyed('name'),
    'status.conditions': keyed('type'),
  },
};

type Builder = { fields: Record<string, Builder>; items?: Builder; marker?: ListMarker };

function build(node: Builder): FieldSchema {
  if (node.marker) {
    return {
      kind: 'list',
      listType: node.marker.listType,
      ...(node.marker.keys ? { keys: node.marker.keys } : {}),
      items: node.items ? build(node.items) : DEDUCED,
    };
  }
  const fields = Object.fromEntries(Object.entries(node.fields).map(([key, child]) => [key, build(child)]));
  return { kind: 'map', fields };
}

function schemaFromMarkers(markers: Readonly<Record<string, ListMarker>>): FieldSchema {
  const root: Builder = { fields: {} };
  for (const [path, marker] of Object.entries(markers)) {
    let node = root;
    for (const step of path.split('.')) {
      const inItems = step.endsWith('[]');
      const name = inItems ? step.slice(0, -2) : step;
      let child = node.fields[name];
      if (!child) {
        child = { fields: {} };
        node.fields[name] = child;
      }
      node = child;
      if (inItems) {
        child.items ??= { fields: {} };
        node = child.items;
      }
    }
    node.marker = marker;
  }
  const built = build(root);
  return objectSchema(built.kind === 'map' ? { ...built.fields } : {});
}

const builtinCache = new Map<string, FieldSchema>();

/** The field schema of a built-in kind (`group/Kind`; core group empty). */
export function builtinSchema(group: string, kind: string): FieldSchema {
  const id = `${group}/${kind}`;
  let schema = builtinCache.get(id);
  if (!schema) {
    schema = schemaFromMarkers(MARKERS_BY_KIND[id] ?? {});
    builtinCache.set(id, schema);
  }
  return schema;
}

/** The field schema of any type: the CRD's when given, the built-in's otherwise. */
export function schemaOfType(type: {
  readonly group: string;
  readonly kind: string;
  readonly builtin: boolean;
  readonly schema?: JsonObject;
}): FieldSchema {
  if (type.builtin) return builtinSchema(type.group, type.kind);
  return customResourceSchema(type.schema);
}
