import { describe, expect, it } from 'vitest';
import { rbacManifests } from './rbac-manifests.js';

const rule = { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] };
const subject = { kind: 'ServiceAccount', name: 'op', namespace: 'ops' };

describe('rbacManifests', () => {
  it('makes a ServiceAccount, a ClusterRole and its binding for cluster rules', () => {
    const objects = rbacManifests({ cluster: [rule], namespaced: [] }, { name: 'op', namespace: 'ops' });
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'op', namespace: 'ops' } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'op' },
        rules: [rule],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'op' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'op' },
        subjects: [subject],
      },
    ]);
  });

  it('adds a Role and RoleBinding in each served namespace for namespaced rules', () => {
    const objects = rbacManifests(
      { cluster: [], namespaced: [rule] },
      { name: 'op', namespace: 'ops', servedNamespaces: ['a', 'b'] },
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}`)).toEqual([
      'ServiceAccount/ops',
      'Role/a',
      'RoleBinding/a',
      'Role/b',
      'RoleBinding/b',
    ]);
    expect(objects[2]).toMatchObject({ roleRef: { kind: 'Role', name: 'op' }, subjects: [subject] });
  });
});
