/**
 * The RBAC authorizer, evaluated as kube-apiserver's is: a request is allowed when a
 * ClusterRoleBinding, or a RoleBinding in the request's namespace, binds the user
 * (by name, group or service account) to a Role or ClusterRole with a rule covering
 * it — verbs (`*`), API groups (`*`), resources (`*`, `res/sub`, `*∕sub`),
 * resourceNames, or nonResourceURLs (`*`, exact, `prefix*`). Nothing else allows;
 * a binding to a missing role is reported in the denial's reason as RBAC does.
 * Members of `system:masters` are never asked (the privileged-group short cut).
 */
import type { UserInfo } from './authorization.js';
import { isJsonObject, type JsonObject } from './objects.js';
import type { RequestInfo } from './request-info.js';

/** Where the RBAC objects are stored. */
export const RBAC_STORAGE = {
  roles: 'rbac.authorization.k8s.io/roles',
  roleBindings: 'rbac.authorization.k8s.io/rolebindings',
  clusterRoles: 'rbac.authorization.k8s.io/clusterroles',
  clusterRoleBindings: 'rbac.authorization.k8s.io/clusterrolebindings',
} as const;

/** Reads RBAC objects. */
export interface RbacObjects {
  list(storage: string, namespace?: string): JsonObject[];
  get(storage: string, key: string): JsonObject | undefined;
}

/** The decision on one request: allowed, or the reason RBAC gives (often empty). */
export type RbacDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function rulesOf(role: JsonObject | undefined): JsonObject[] {
  return Array.isArray(role?.rules) ? role.rules.filter(isJsonObject) : [];
}

function subjectMatches(subject: JsonObject, user: UserInfo, bindingNamespace: string): boolean {
  const name = String(subject.name ?? '');
  switch (subject.kind) {
    case 'User':
      return user.username === name;
    case 'Group':
      return user.groups.includes(name);
    case 'ServiceAccount': {
      const namespace = String(subject.namespace ?? bindingNamespace);
      return user.username === `system:serviceaccount:${namespace}:${name}`;
    }
    default:
      return false;
  }
}

function resourceMatches(rule: JsonObject, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return strings(rule.resources).some(
    (entry) => entry === '*' || entry === combined || (subresource !== '' && entry === `*/${subresource}`),
  );
}

function pathMatches(rule: JsonObject, path: string): boolean {
  return strings(rule.nonResourceURLs).some(
    (entry) =>
      entry === '*' || entry === path || (entry.endsWith('*') && path.startsWith(entry.slice(0, -1))),
  );
}

/** Whether one policy rule covers the request. */
export function ruleAllows(rule: JsonObject, request: RequestInfo): boolean {
  const verbs = strings(rule.verbs);
  if (!verbs.includes('*') && !verbs.includes(request.verb)) return false;
  if (request.kind === 'nonresource') return pathMatches(rule, request.path);
  const groups = strings(rule.apiGroups);
  if (!groups.includes('*') && !groups.includes(request.group)) return false;
  if (!resourceMatches(rule, request.resource, request.subresource)) return false;
  const names = strings(rule.resourceNames);
  return names.length === 0 || names.includes(request.name);
}

/** The RBAC authorizer over stored objects. */
export class RbacAuthorizer {
  constructor(private readonly objects: RbacObjects) {}

  /** Decides on a request by a user. */
  authorize(user: UserInfo, request: RequestInfo): RbacDecision {
    if (user.groups.includes('system:masters')) return { allowed: true };
    const missing: string[] = [];
    const bindings: { binding: JsonObject; namespace: string }[] = this.objects
      .list(RBAC_STORAGE.clusterRoleBindings)
      .map((binding) => ({ binding, namespace: '' }));
    const namespace = request.kind === 'resource' ? request.namespace : '';
    if (namespace) {
      for (const binding of this.objects.list(RBAC_STORAGE.roleBindings, namespace))
        bindings.push({ binding, namespace });
    }
    for (const { binding, namespace: bindingNamespace } of bindings) {
      const subjects = Array.isArray(binding.subjects) ? binding.subjects.filter(isJsonObject) : [];
      if (!subjects.some((subject) => subjectMatches(subject, user, bindingNamespace))) continue;
      const role = this.roleOf(binding, bindingNamespace);
      if (!role.found) {
        missing.push(role.missing);
        continue;
      }
      if (rulesOf(role.found).some((rule) => ruleAllows(rule, request))) return { allowed: true };
    }
    return { allowed: false, reason: missing.length ? `RBAC: ${missing.join(', ')}` : '' };
  }

  /** Every rule that applies to a user in a namespace (for SelfSubjectRulesReview). */
  rulesFor(user: UserInfo, namespace: string): JsonObject[] {
    const bindings = [
      ...this.objects.list(RBAC_STORAGE.clusterRoleBindings).map((binding) => ({ binding, namespace: '' })),
      ...(namespace ? this.objects.list(RBAC_STORAGE.roleBindings, namespace) : []).map((binding) => ({
        binding,
        namespace,
      })),
    ];
    return bindings.flatMap(({ binding, namespace: bindingNamespace }) => {
      const subjects = Array.isArray(binding.subjects) ? binding.subjects.filter(isJsonObject) : [];
      if (!subjects.some((subject) => subjectMatches(subject, user, bindingNamespace))) return [];
      return rulesOf(this.roleOf(binding, bindingNamespace).found);
    });
  }

  private roleOf(binding: JsonObject, namespace: string): { found?: JsonObject; missing: string } {
    const ref = isJsonObject(binding.roleRef) ? binding.roleRef : {};
    const name = String(ref.name ?? '');
    if (ref.kind === 'Role' && namespace) {
      const found = this.objects.get(RBAC_STORAGE.roles, `${namespace}/${name}`);
      return { ...(found ? { found } : {}), missing: `role.rbac.authorization.k8s.io "${name}" not found` };
    }
    const found = ref.kind === 'ClusterRole' ? this.objects.get(RBAC_STORAGE.clusterRoles, name) : undefined;
    return {
      ...(found ? { found } : {}),
      missing: `clusterrole.rbac.authorization.k8s.io "${name}" not found`,
    };
  }
}

/** A binding's role as the printers show it: `ClusterRole/view`. */
export function bindingRole(binding: JsonObject): string {
  const ref = isJsonObject(binding.roleRef) ? binding.roleRef : {};
  return `${String(ref.kind ?? '')}/${String(ref.name ?? '')}`;
}
