import { FakeApiServer } from '@kopf/testing';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, kopfExample, kopfExampleCrd, openWatch, raw, text } from './support.js';

let server: FakeApiServer;
const SA = 'system:serviceaccount:ops:operator';
const TOKEN = 'operator-token';
const CM = '/api/v1/namespaces/default/configmaps';
const KEX = '/apis/kopf.dev/v1/namespaces/default/kopfexamples';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

beforeAll(async () => {
  server = await FakeApiServer.start({
    namespaces: ['ops'],
    rbac: true,
    users: { [TOKEN]: SA, 'alice-token': { username: 'alice', groups: ['devs'] } },
  });
  await raw(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    method: 'POST',
    body: kopfExampleCrd(),
  });
  await raw(server, KEX, { method: 'POST', body: kopfExample('kex-1') });
});

afterAll(async () => {
  await server.stop();
});

function as(token: string, path: string, options: { method?: string; body?: unknown; type?: string } = {}) {
  return raw(server, path, {
    token,
    ...(options.method ? { method: options.method } : {}),
    ...(options.body !== undefined ? { body: options.body as Json } : {}),
    ...(options.type ? { headers: { 'Content-Type': options.type } } : {}),
  });
}

async function grant(name: string, rules: Json[], subject: Json, namespace = 'default'): Promise<void> {
  const role = await raw(server, `${RBAC}/namespaces/${namespace}/roles`, {
    method: 'POST',
    body: { metadata: { name }, rules },
  });
  expect(role.status).toBe(201);
  const binding = await raw(server, `${RBAC}/namespaces/${namespace}/rolebindings`, {
    method: 'POST',
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [subject],
    },
  });
  expect(binding.status).toBe(201);
}

describe('RBAC', () => {
  it('forbids a service account everything its roles do not grant, with the real messages', async () => {
    const list = await as(TOKEN, CM);
    expect(list.status).toBe(403);
    expect(list.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `configmaps is forbidden: User "${SA}" cannot list resource "configmaps" in API group "" in the namespace "default"`,
      reason: 'Forbidden',
      details: { kind: 'configmaps' },
      code: 403,
    });
    const cluster = await as(TOKEN, '/api/v1/namespaces');
    expect(text(cluster.json(), 'message')).toBe(
      `namespaces is forbidden: User "${SA}" cannot list resource "namespaces" in API group "" at the cluster scope`,
    );
    const path = await as(TOKEN, '/metrics');
    expect(text(path.json(), 'message')).toBe(`forbidden: User "${SA}" cannot get path "/metrics"`);
  });

  it('leaves discovery, /version and health open to any authenticated user', async () => {
    for (const path of ['/api', '/apis', '/apis/kopf.dev/v1', '/version', '/healthz', '/openapi/v3']) {
      expect((await as(TOKEN, path)).status, path).toBe(200);
    }
  });

  it('allows what a Role bound to the service account grants: 200 inside, 403 outside', async () => {
    await grant(
      'operator',
      [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['kopf.dev'], resources: ['kopfexamples'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['kopf.dev'], resources: ['kopfexamples/status'], verbs: ['patch'] },
      ],
      { kind: 'ServiceAccount', name: 'operator', namespace: 'ops' },
    );
    expect((await as(TOKEN, CM)).status).toBe(200);
    expect((await as(TOKEN, `${KEX}/kex-1`)).status).toBe(200);
    const status = await as(TOKEN, `${KEX}/kex-1/status`, {
      method: 'PATCH',
      body: { status: { ok: true } },
      type: 'application/merge-patch+json',
    });
    expect(status.status).toBe(200);
    const main = await as(TOKEN, `${KEX}/kex-1`, {
      method: 'PATCH',
      body: { spec: { x: 1 } },
      type: 'application/merge-patch+json',
    });
    expect(main.status).toBe(403);
    expect(text(main.json(), 'message')).toBe(
      `kopfexamples.kopf.dev "kex-1" is forbidden: User "${SA}" cannot patch resource "kopfexamples" in API group "kopf.dev" in the namespace "default"`,
    );
    const created = await as(TOKEN, CM, { method: 'POST', body: { metadata: { name: 'nope' } } });
    expect(text(created.json(), 'message')).toBe(
      `configmaps is forbidden: User "${SA}" cannot create resource "configmaps" in API group "" in the namespace "default"`,
    );
    expect((await as(TOKEN, '/api/v1/namespaces/ops/configmaps')).status).toBe(403);
    const watch = await openWatch(server, `${CM}?watch=true&timeoutSeconds=1`, {
      Authorization: `Bearer ${TOKEN}`,
    });
    expect(watch.status).toBe(200);
    watch.close();
  });

  it('binds groups and users, ClusterRoles through RoleBindings, and respects resourceNames', async () => {
    const clusterRole = await raw(server, `${RBAC}/clusterroles`, {
      method: 'POST',
      body: {
        metadata: { name: 'one-secret' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['allowed'] }],
      },
    });
    expect(clusterRole.status).toBe(201);
    await raw(server, `${RBAC}/namespaces/default/rolebindings`, {
      method: 'POST',
      body: {
        metadata: { name: 'devs-one-secret' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'one-secret' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' }],
      },
    });
    for (const name of ['allowed', 'other']) {
      await raw(server, '/api/v1/namespaces/default/secrets', {
        method: 'POST',
        body: { metadata: { name } },
      });
    }
    expect((await as('alice-token', '/api/v1/namespaces/default/secrets/allowed')).status).toBe(200);
    expect((await as('alice-token', '/api/v1/namespaces/default/secrets/other')).status).toBe(403);
    expect((await as('alice-token', '/api/v1/namespaces/ops/secrets/allowed')).status).toBe(403);
  });

  it('authorizes users of client certificates by their CN and O, and validates bindings', async () => {
    const certificate = await server.clientCertificate('carol', ['devs']);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: server.url, caData: Buffer.from(server.caData).toString('base64') }],
      users: [
        {
          name: 'carol',
          certData: Buffer.from(certificate.certPem).toString('base64'),
          keyData: Buffer.from(certificate.keyPem).toString('base64'),
        },
      ],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'carol' }],
      currentContext: 'fake',
    });
    const core = kc.makeApiClient(CoreV1Api);
    expect((await core.readNamespacedSecret({ namespace: 'default', name: 'allowed' })).metadata?.name).toBe(
      'allowed',
    );
    await expect(core.readNamespacedSecret({ namespace: 'default', name: 'other' })).rejects.toMatchObject({
      code: 403,
    });
    const changed = await raw(server, `${RBAC}/namespaces/default/rolebindings/devs-one-secret`, {
      method: 'PATCH',
      body: { roleRef: { name: 'cluster-admin' } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(changed.status).toBe(422);
    expect(text(changed.json(), 'message')).toMatch(/roleRef: Invalid value: .*cannot change roleRef/);
  });

  it('answers SelfSubjectAccessReviews and SelfSubjectReviews for the caller', async () => {
    const review = async (attributes: Json) =>
      (
        await as(TOKEN, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          method: 'POST',
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: attributes },
        })
      ).json();
    expect(
      await review({ resourceAttributes: { namespace: 'default', verb: 'list', resource: 'configmaps' } }),
    ).toMatchObject({
      kind: 'SelfSubjectAccessReview',
      status: { allowed: true },
    });
    expect(
      await review({ resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'configmaps' } }),
    ).toMatchObject({
      status: { allowed: false },
    });
    const whoami = await as(TOKEN, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(whoami.json()).toMatchObject({
      status: {
        userInfo: {
          username: SA,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:ops', 'system:authenticated'],
        },
      },
    });
  });

  it('lets the admin token and client-node with the service account token work as expected', async () => {
    expect((await raw(server, '/api/v1/namespaces/ops/secrets')).status).toBe(200);
    await raw(server, CM, { method: 'POST', body: { metadata: { name: 'visible' } } });
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig({ token: TOKEN }));
    const core = kc.makeApiClient(CoreV1Api);
    const names = (await core.listNamespacedConfigMap({ namespace: 'default' })).items.map(
      (cm) => cm.metadata?.name,
    );
    expect(names).toContain('visible');
    await expect(core.listNamespacedSecret({ namespace: 'default' })).rejects.toMatchObject({ code: 403 });
  });
});
