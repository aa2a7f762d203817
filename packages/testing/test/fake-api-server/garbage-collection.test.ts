import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, eventually, type Json, kopfExample, kopfExampleCrd, raw, text } from './support.js';

let server: FakeApiServer;
const KEX = '/apis/kopf.dev/v1/namespaces/default/kopfexamples';
const CM = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  server = await FakeApiServer.start();
  await raw(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    method: 'POST',
    body: kopfExampleCrd(),
  });
});

afterAll(async () => {
  await server.stop();
});

async function parent(name: string): Promise<Json> {
  const created = await raw(server, KEX, { method: 'POST', body: kopfExample(name) });
  expect(created.status).toBe(201);
  return created.json();
}

function ownerRef(owner: Json, blockOwnerDeletion = false): Json {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    name: text(owner, 'metadata', 'name'),
    uid: text(owner, 'metadata', 'uid'),
    ...(blockOwnerDeletion ? { blockOwnerDeletion: true } : {}),
  };
}

async function child(name: string, owners: Json[], extra: Json = {}): Promise<void> {
  const created = await raw(server, CM, {
    method: 'POST',
    body: { metadata: { name, ownerReferences: owners, ...extra }, data: { a: '1' } },
  });
  expect(created.status).toBe(201);
}

const gone = async (path: string): Promise<boolean> => (await raw(server, path)).status === 404;

describe('garbage collection', () => {
  it('deletes the children of a deleted parent (Background, the default)', async () => {
    const owner = await parent('bg-parent');
    await child('bg-child-1', [ownerRef(owner)]);
    await child('bg-child-2', [ownerRef(owner)]);
    await child('bg-bystander', []);
    const deleted = await raw(server, `${KEX}/bg-parent`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    await eventually(async () => (await gone(`${CM}/bg-child-1`)) && (await gone(`${CM}/bg-child-2`)));
    expect((await raw(server, `${CM}/bg-bystander`)).status).toBe(200);
  });

  it('Foreground: the parent waits with foregroundDeletion until its blocking children are gone', async () => {
    const owner = await parent('fg-parent');
    await child('fg-child', [ownerRef(owner, true)], { finalizers: ['kopf.dev/hold'] });
    const deleted = await raw(server, `${KEX}/fg-parent`, {
      method: 'DELETE',
      body: { propagationPolicy: 'Foreground' },
    });
    expect(deleted.status).toBe(200);
    expect(at(deleted.json(), 'metadata', 'finalizers')).toEqual(['foregroundDeletion']);
    const held = await eventually(async () => {
      const object = (await raw(server, `${CM}/fg-child`)).json();
      return text(object, 'metadata', 'deletionTimestamp') ? object : undefined;
    });
    expect(at(held, 'metadata', 'finalizers')).toEqual(['kopf.dev/hold']);
    expect((await raw(server, `${KEX}/fg-parent`)).status).toBe(200);
    await raw(server, `${CM}/fg-child`, {
      method: 'PATCH',
      body: { metadata: { finalizers: null } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    await eventually(() => gone(`${KEX}/fg-parent`));
  });

  it('Orphan: the children lose their owner reference and stay', async () => {
    const owner = await parent('or-parent');
    const other = await parent('or-other');
    await child('or-child', [ownerRef(owner), ownerRef(other)]);
    const deleted = await raw(server, `${KEX}/or-parent`, {
      method: 'DELETE',
      body: { propagationPolicy: 'Orphan' },
    });
    expect(at(deleted.json(), 'metadata', 'finalizers')).toEqual(['orphan']);
    await eventually(() => gone(`${KEX}/or-parent`));
    const orphan = (await raw(server, `${CM}/or-child`)).json();
    expect(at(orphan, 'metadata', 'ownerReferences')).toEqual([ownerRef(other)]);
  });

  it('drops a dangling reference when another owner lives, and deletes children of owners that never were', async () => {
    const owner = await parent('multi-a');
    const survivor = await parent('multi-b');
    await child('multi-child', [ownerRef(owner), ownerRef(survivor)]);
    await raw(server, `${KEX}/multi-a`, { method: 'DELETE' });
    await eventually(async () => {
      const refs = at((await raw(server, `${CM}/multi-child`)).json(), 'metadata', 'ownerReferences');
      return Array.isArray(refs) && refs.length === 1;
    });
    const phantom = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'ghost',
      uid: '00000000-0000-0000-0000-000000000000',
    };
    await child('phantom-child', [phantom]);
    await eventually(() => gone(`${CM}/phantom-child`));
  });

  it('answers 202 for orphanDependents=false while the object waits, and 422 for a bad policy', async () => {
    await raw(server, CM, {
      method: 'POST',
      body: { metadata: { name: 'held', finalizers: ['kopf.dev/hold'] } },
    });
    const accepted = await raw(server, `${CM}/held`, { method: 'DELETE', body: { orphanDependents: false } });
    expect(accepted.status).toBe(202);
    const bad = await raw(server, `${CM}/held`, {
      method: 'DELETE',
      body: { propagationPolicy: 'Sideways' },
    });
    expect(bad.status).toBe(422);
    expect(text(bad.json(), 'message')).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
  });

  it('deletes a namespace with content fully, including owned children', async () => {
    await raw(server, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: 'doomed-gc' } } });
    const root = await raw(server, '/apis/kopf.dev/v1/namespaces/doomed-gc/kopfexamples', {
      method: 'POST',
      body: { ...kopfExample('root'), metadata: { name: 'root', namespace: 'doomed-gc' } },
    });
    await raw(server, '/api/v1/namespaces/doomed-gc/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'leaf', ownerReferences: [ownerRef(root.json(), true)] } },
    });
    await raw(server, '/api/v1/namespaces/doomed-gc', { method: 'DELETE' });
    await eventually(() => gone('/api/v1/namespaces/doomed-gc'));
    expect((await raw(server, '/api/v1/namespaces/doomed-gc/configmaps')).json().items).toEqual([]);
  });
});
