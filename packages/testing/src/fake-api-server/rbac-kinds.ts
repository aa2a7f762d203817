/**
 * The rbac.authorization.k8s.io/v1 kinds as their registries keep them (roleRef
 * required and immutable on bindings, known subject kinds, service-account subjects
 * with a namespace), and the bootstrap policy every cluster starts with: cluster-admin
 * for `system:masters`, and the discovery, basic-user and public-info roles that let
 * any authenticated user read discovery, `/version`, health, OpenAPI and ask
 * "can I?" — so a token limited by a Role still works with kubectl.
 */
import { type FieldError, invalidValue, notSupportedValue, requiredValue } from './field-errors.js';
import type { KindRules } from './kinds.js';
import { isJsonObject, type JsonObject } from './objects.js';

const SUBJECT_KINDS = ['Group', 'ServiceAccount', 'User'];
const ROLE_KINDS = ['ClusterRole', 'Role'];

function validateBinding(
  binding: JsonObject,
  old: JsonObject | undefined,
  namespaced: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const ref = isJsonObject(binding.roleRef) ? binding.roleRef : undefined;
  if (!ref) errors.push(requiredValue('roleRef'));
  else {
    if (!ref.name) errors.push(requiredValue('roleRef.name'));
    const kinds = namespaced ? ROLE_KINDS : ['ClusterRole'];
    if (!kinds.includes(String(ref.kind))) errors.push(notSupportedValue('roleRef.kind', ref.kind, kinds));
    if (ref.apiGroup !== 'rbac.authorization.k8s.io')
      errors.push(notSupportedValue('roleRef.apiGroup', ref.apiGroup, ['rbac.authorization.k8s.io']));
  }
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(binding.roleRef))
    errors.push(invalidValue('roleRef', binding.roleRef, 'cannot change roleRef'));
  const subjects = Array.isArray(binding.subjects) ? binding.subjects : [];
  subjects.forEach((subject: unknown, index) => {
    const entry = isJsonObject(subject) ? subject : {};
    const path = `subjects[${index}]`;
    if (!SUBJECT_KINDS.includes(String(entry.kind)))
      errors.push(notSupportedValue(`${path}.kind`, entry.kind, SUBJECT_KINDS));
    if (!entry.name) errors.push(requiredValue(`${path}.name`));
    if (entry.kind === 'ServiceAccount' && !entry.namespace && !namespaced)
      errors.push(requiredValue(`${path}.namespace`));
  });
  return errors;
}

/** The registry rules of RoleBinding (`namespaced`) or ClusterRoleBinding. */
export function bindingRules(namespaced: boolean): Partial<KindRules> {
  return { validate: (binding, old) => validateBinding(binding, old, namespaced) };
}

const BOOTSTRAP_META = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

function clusterRole(name: string, rules: JsonObject[]): JsonObject {
  return { metadata: { name, ...BOOTSTRAP_META }, rules };
}

function clusterRoleBinding(name: string, groups: string[]): JsonObject {
  return {
    metadata: { name, ...BOOTSTRAP_META },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: groups.map((group) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group })),
  };
}

const PUBLIC_INFO = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

/** The bootstrap ClusterRoles and ClusterRoleBindings (a subset of kube's, without aggregation). */
export function bootstrapPolicy(): { clusterRoles: JsonObject[]; clusterRoleBindings: JsonObject[] } {
  return {
    clusterRoles: [
      clusterRole('cluster-admin', [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['*'] },
      ]),
      clusterRole('system:discovery', [
        {
          nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', ...PUBLIC_INFO],
          verbs: ['get'],
        },
      ]),
      clusterRole('system:basic-user', [
        {
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
          verbs: ['create'],
        },
        { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
      ]),
      clusterRole('system:public-info-viewer', [{ nonResourceURLs: PUBLIC_INFO, verbs: ['get'] }]),
    ],
    clusterRoleBindings: [
      clusterRoleBinding('cluster-admin', ['system:masters']),
      clusterRoleBinding('system:discovery', ['system:authenticated']),
      clusterRoleBinding('system:basic-user', ['system:authenticated']),
      clusterRoleBinding('system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
    ],
  };
}
