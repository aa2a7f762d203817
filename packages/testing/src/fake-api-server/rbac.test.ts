import { describe, expect, it } from 'vitest';
import type { JsonObject } from './objects.js';
import { RBAC_STORAGE, RbacAuthorizer, ruleAllows } from './rbac.js';
import type { RequestInfo } from './request-info.js';

function resource(verb: string, resource: string, extra: Partial<RequestInfo> = {}): RequestInfo {
  return {
    kind: 'resource',
    verb: verb as never,
    group: '',
    version: 'v1',
    namespace: 'default',
    resource,
    name: '',
    subresource: '',
    ...extra,
  } as RequestInfo;
}

describe('ruleAllows', () => {
  it('matches verbs, groups and resources, with wildcards', () => {
    const rule = { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] };
    expect(ruleAllows(rule, resource('get', 'configmaps'))).toBe(true);
    expect(ruleAllows(rule, resource('delete', 'configmaps'))).toBe(false);
    expect(ruleAllows(rule, resource('get', 'secrets'))).toBe(false);
    expect(ruleAllows(rule, resource('get', 'configmaps', { group: 'apps' }))).toBe(false);
    expect(
      ruleAllows(
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        resource('patch', 'x', { group: 'y' }),
      ),
    ).toBe(true);
  });

  it('matches subresources only when named (res/sub or */sub), and resourceNames', () => {
    const status = resource('patch', 'kopfexamples', { group: 'kopf.dev', subresource: 'status' });
    expect(
      ruleAllows({ apiGroups: ['kopf.dev'], resources: ['kopfexamples'], verbs: ['patch'] }, status),
    ).toBe(false);
    expect(
      ruleAllows({ apiGroups: ['kopf.dev'], resources: ['kopfexamples/status'], verbs: ['patch'] }, status),
    ).toBe(true);
    expect(ruleAllows({ apiGroups: ['*'], resources: ['*/status'], verbs: ['patch'] }, status)).toBe(true);
    const named = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['a'] };
    expect(ruleAllows(named, resource('get', 'configmaps', { name: 'a' }))).toBe(true);
    expect(ruleAllows(named, resource('get', 'configmaps', { name: 'b' }))).toBe(false);
    expect(ruleAllows(named, resource('get', 'configmaps'))).toBe(false);
  });

  it('matches non-resource URLs exactly or by a trailing *', () => {
    const rule = { nonResourceURLs: ['/apis/*', '/version'], verbs: ['get'] };
    expect(ruleAllows(rule, { kind: 'nonresource', verb: 'get', path: '/apis/kopf.dev/v1' })).toBe(true);
    expect(ruleAllows(rule, { kind: 'nonresource', verb: 'get', path: '/version' })).toBe(true);
    expect(ruleAllows(rule, { kind: 'nonresource', verb: 'get', path: '/metrics' })).toBe(false);
    expect(ruleAllows(rule, { kind: 'nonresource', verb: 'post', path: '/version' })).toBe(false);
  });
});

describe('RbacAuthorizer', () => {
  const stored = new Map<string, JsonObject[]>([
    [
      RBAC_STORAGE.clusterRoles,
      [{ metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }],
    ],
    [
      RBAC_STORAGE.roles,
      [
        {
          metadata: { name: 'cm', namespace: 'dev' },
          rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }],
        },
      ],
    ],
    [
      RBAC_STORAGE.roleBindings,
      [
        {
          metadata: { name: 'b1', namespace: 'dev' },
          roleRef: { kind: 'Role', name: 'cm' },
          subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'ops' }],
        },
        {
          metadata: { name: 'b2', namespace: 'dev' },
          roleRef: { kind: 'ClusterRole', name: 'reader' },
          subjects: [{ kind: 'Group', name: 'readers' }],
        },
        {
          metadata: { name: 'b3', namespace: 'dev' },
          roleRef: { kind: 'ClusterRole', name: 'gone' },
          subjects: [{ kind: 'User', name: 'alice' }],
        },
      ],
    ],
  ]);
  const objects = {
    list: (storage: string, namespace?: string) =>
      (stored.get(storage) ?? []).filter(
        (object) => namespace === undefined || (object.metadata as JsonObject).namespace === namespace,
      ),
    get: (storage: string, key: string) =>
      (stored.get(storage) ?? []).find((object) => {
        const meta = object.metadata as JsonObject;
        return (meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name) === key;
      }),
  };
  const rbac = new RbacAuthorizer(objects);
  const sa = { username: 'system:serviceaccount:ops:op', groups: ['system:serviceaccounts'] };

  it('allows through a RoleBinding only in its namespace', () => {
    expect(rbac.authorize(sa, resource('create', 'configmaps', { namespace: 'dev' }))).toEqual({
      allowed: true,
    });
    expect(rbac.authorize(sa, resource('create', 'configmaps', { namespace: 'prod' }))).toEqual({
      allowed: false,
      reason: '',
    });
  });

  it('binds ClusterRoles by RoleBindings to groups, and names missing roles in the reason', () => {
    const reader = { username: 'bob', groups: ['readers'] };
    expect(rbac.authorize(reader, resource('get', 'pods', { namespace: 'dev' })).allowed).toBe(true);
    expect(rbac.authorize(reader, resource('get', 'pods', { namespace: '' })).allowed).toBe(false);
    expect(
      rbac.authorize({ username: 'alice', groups: [] }, resource('get', 'pods', { namespace: 'dev' })),
    ).toEqual({
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
  });

  it('lets system:masters do anything', () => {
    expect(
      rbac.authorize({ username: 'admin', groups: ['system:masters'] }, resource('delete', 'nodes')).allowed,
    ).toBe(true);
  });
});
