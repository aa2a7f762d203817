import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, eventually, kopfExample, kopfExampleCrd, openWatch, raw, summary, text } from './support.js';

let server: FakeApiServer;
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

beforeAll(async () => {
  server = await FakeApiServer.start();
});

afterAll(async () => {
  await server.stop();
});

function merge(path: string, body: unknown) {
  return raw(server, path, {
    method: 'PATCH',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/merge-patch+json' },
  });
}

describe('namespaces', () => {
  it('exist at start with the kubernetes finalizer and the Active phase', async () => {
    const ns = (await raw(server, '/api/v1/namespaces/default')).json();
    expect(ns).toMatchObject({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  });

  it('terminate: content deleted honouring finalizers, 403 for new content, then gone', async () => {
    await raw(server, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: 'doomed' } } });
    await raw(server, '/api/v1/namespaces/doomed/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'free' } },
    });
    await raw(server, '/api/v1/namespaces/doomed/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'held', finalizers: ['kopf.dev/hold'] } },
    });
    const deleted = (await raw(server, '/api/v1/namespaces/doomed', { method: 'DELETE' })).json();
    expect(deleted).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } });
    expect(text(deleted, 'metadata', 'deletionTimestamp')).not.toBe('');
    await eventually(
      async () => (await raw(server, '/api/v1/namespaces/doomed/configmaps/free')).status === 404,
    );
    const conditions = await eventually(async () => {
      const ns = (await raw(server, '/api/v1/namespaces/doomed')).json();
      return at(ns, 'status', 'conditions') as { type: string; message: string }[] | undefined;
    });
    expect(conditions.find((condition) => condition.type === 'NamespaceFinalizersRemaining')?.message).toBe(
      'Some content in the namespace has finalizers remaining: kopf.dev/hold in 1 resource instances',
    );
    const refused = await raw(server, '/api/v1/namespaces/doomed/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'late' } },
    });
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({
      reason: 'Forbidden',
      message:
        'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      details: {
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: 'namespace doomed is being terminated',
            field: 'metadata.namespace',
          },
        ],
      },
    });
    await merge('/api/v1/namespaces/doomed/configmaps/held', { metadata: { finalizers: null } });
    await eventually(async () => (await raw(server, '/api/v1/namespaces/doomed')).status === 404);
  });

  it('can be finalized by hand through /finalize', async () => {
    await raw(server, '/api/v1/namespaces', {
      method: 'POST',
      body: { metadata: { name: 'by-hand', finalizers: ['example.com/keep'] } },
    });
    await raw(server, '/api/v1/namespaces/by-hand', { method: 'DELETE' });
    const ns = await eventually(async () => {
      const body = (await raw(server, '/api/v1/namespaces/by-hand')).json();
      return (at(body, 'spec', 'finalizers') as string[]).length === 0 ? body : undefined;
    });
    expect(at(ns, 'metadata', 'finalizers')).toEqual(['example.com/keep']);
    const finalized = await raw(server, '/api/v1/namespaces/by-hand/finalize', {
      method: 'PUT',
      body: { ...ns, spec: { finalizers: [] } },
    });
    expect(finalized.status).toBe(200);
    await merge('/api/v1/namespaces/by-hand', { metadata: { finalizers: null } });
    expect((await raw(server, '/api/v1/namespaces/by-hand')).status).toBe(404);
  });

  it('refuses to delete the system namespaces', async () => {
    const response = await raw(server, '/api/v1/namespaces/default', { method: 'DELETE' });
    expect(response.status).toBe(403);
    expect(text(response.json(), 'message')).toBe(
      'namespaces "default" is forbidden: this namespace may not be deleted',
    );
  });
});

describe('custom resource definitions', () => {
  it('validate their names and fields with 422', async () => {
    const bad = kopfExampleCrd();
    const response = await raw(server, CRDS, {
      method: 'POST',
      body: { ...bad, metadata: { name: 'wrong.kopf.dev' } },
    });
    expect(response.status).toBe(422);
    expect(text(response.json(), 'message')).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "wrong.kopf.dev" is invalid: metadata.name: Invalid value: "wrong.kopf.dev": must be spec.names.plural+"."+spec.group',
    );
  });

  it('are established at once with accepted names, and serve their resources in discovery', async () => {
    const created = (await raw(server, CRDS, { method: 'POST', body: kopfExampleCrd() })).json();
    expect(at(created, 'status', 'conditions')).toEqual([
      expect.objectContaining({ type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' }),
      expect.objectContaining({ type: 'Established', status: 'True', reason: 'InitialNamesAccepted' }),
    ]);
    expect(at(created, 'status', 'storedVersions')).toEqual(['v1']);
    const resources = (await raw(server, '/apis/kopf.dev/v1')).json();
    expect(at(resources, 'resources')).toEqual([
      expect.objectContaining({
        name: 'kopfexamples',
        singularName: 'kopfexample',
        namespaced: true,
        kind: 'KopfExample',
        shortNames: ['kopfexes', 'kopfex', 'kexes', 'kex'],
      }),
      expect.objectContaining({ name: 'kopfexamples/status', verbs: ['get', 'patch', 'update'] }),
    ]);
    await raw(server, '/apis/kopf.dev/v1/namespaces/default/kopfexamples', {
      method: 'POST',
      body: kopfExample('kex-1'),
    });
  });

  it("on deletion wait for their objects' finalizers, refuse new objects, then stop serving", async () => {
    await raw(server, '/apis/kopf.dev/v1/namespaces/default/kopfexamples', {
      method: 'POST',
      body: kopfExample('kex-held', { metadata: { name: 'kex-held', finalizers: ['kopf.dev/hold'] } }),
    });
    const watch = await openWatch(
      server,
      `${CRDS}?watch=true&fieldSelector=metadata.name%3Dkopfexamples.kopf.dev`,
    );
    await watch.until(1);
    const objects = await openWatch(server, '/apis/kopf.dev/v1/kopfexamples?watch=true');
    const deleting = (await raw(server, `${CRDS}/kopfexamples.kopf.dev`, { method: 'DELETE' })).json();
    expect(at(deleting, 'metadata', 'finalizers')).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    await eventually(
      async () =>
        (await raw(server, '/apis/kopf.dev/v1/namespaces/default/kopfexamples/kex-1')).status === 404,
    );
    const held = (await raw(server, '/apis/kopf.dev/v1/namespaces/default/kopfexamples/kex-held')).json();
    expect(text(held, 'metadata', 'deletionTimestamp')).not.toBe('');
    const refused = await raw(server, '/apis/kopf.dev/v1/namespaces/default/kopfexamples', {
      method: 'POST',
      body: kopfExample('kex-late'),
    });
    expect(refused.status).toBe(405);
    expect((await raw(server, `${CRDS}/kopfexamples.kopf.dev`)).status).toBe(200);
    await merge('/apis/kopf.dev/v1/namespaces/default/kopfexamples/kex-held', {
      metadata: { finalizers: null },
    });
    await eventually(async () => (await raw(server, `${CRDS}/kopfexamples.kopf.dev`)).status === 404);
    expect((await raw(server, '/apis/kopf.dev/v1/namespaces/default/kopfexamples')).status).toBe(404);
    expect((await raw(server, '/apis/kopf.dev/v1')).status).toBe(404);
    const events = await watch.until(2);
    expect(summary(events).at(-1)).toBe('DELETED kopfexamples.kopf.dev');
    watch.close();
    await objects.ended;
    expect(summary(objects.events)).toEqual([
      'ADDED kex-1',
      'ADDED kex-held',
      'DELETED kex-1',
      'MODIFIED kex-held',
      'DELETED kex-held',
    ]);
  });

  it('serve every served version over one storage', async () => {
    const crd = kopfExampleCrd();
    const spec = crd.spec as { versions: Record<string, unknown>[] };
    const v1 = spec.versions[0] as Record<string, unknown>;
    const twoVersions = {
      ...crd,
      spec: { ...spec, versions: [v1, { ...v1, name: 'v1beta1', storage: false }] },
    };
    expect((await raw(server, CRDS, { method: 'POST', body: twoVersions })).status).toBe(201);
    await raw(server, '/apis/kopf.dev/v1beta1/namespaces/default/kopfexamples', {
      method: 'POST',
      body: { ...kopfExample('multi'), apiVersion: 'kopf.dev/v1beta1' },
    });
    const asV1 = (await raw(server, '/apis/kopf.dev/v1/namespaces/default/kopfexamples/multi')).json();
    expect(asV1).toMatchObject({ apiVersion: 'kopf.dev/v1', metadata: { name: 'multi' } });
    const group = (await raw(server, '/apis/kopf.dev')).json();
    expect(at(group, 'preferredVersion')).toEqual({ groupVersion: 'kopf.dev/v1', version: 'v1' });
    await raw(server, `${CRDS}/kopfexamples.kopf.dev`, { method: 'DELETE' });
    await eventually(async () => (await raw(server, `${CRDS}/kopfexamples.kopf.dev`)).status === 404);
  });
});
