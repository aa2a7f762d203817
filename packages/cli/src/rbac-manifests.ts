/**
 * The RBAC objects for an operator: its ServiceAccount, a ClusterRole with the
 * cluster-wide rules and its binding, and, when the operator serves listed
 * namespaces, a Role and RoleBinding in each of them. Pure: rules in, objects out.
 */
import type { KubernetesObject } from '@kopf/core';
import type { RbacRules } from './rbac-rules.js';

/** Names and places of the RBAC objects. */
export interface RbacManifestOptions {
  /** The name of the ServiceAccount, the roles and the bindings. */
  readonly name: string;
  /** Where the ServiceAccount (and the operator's pod) lives. */
  readonly namespace: string;
  /** The served namespaces that get a Role (when `rules.namespaced` is not empty). */
  readonly servedNamespaces?: readonly string[];
}

const RBAC = 'rbac.authorization.k8s.io';

/**
 * ServiceAccount, ClusterRole + ClusterRoleBinding (when there are cluster rules),
 * and a Role + RoleBinding per served namespace (when there are namespaced rules).
 */
export function rbacManifests(rules: RbacRules, options: RbacManifestOptions): KubernetesObject[] {
  const { name, namespace } = options;
  const subject = { kind: 'ServiceAccount', name, namespace };
  const objects: KubernetesObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
  ];
  if (rules.cluster.length > 0) {
    objects.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules: rules.cluster });
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name },
      subjects: [subject],
    });
  }
  if (rules.namespaced.length === 0) return objects;
  for (const served of options.servedNamespaces ?? []) {
    const metadata = { name, namespace: served };
    objects.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata, rules: rules.namespaced });
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: RBAC, kind: 'Role', name },
      subjects: [subject],
    });
  }
  return objects;
}
