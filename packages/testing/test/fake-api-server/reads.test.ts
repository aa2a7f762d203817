import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, eventually, raw, text } from './support.js';

let server: FakeApiServer;
const CM = '/api/v1/namespaces/reads/configmaps';

function names(body: unknown): string[] {
  return ((at(body, 'items') ?? []) as { metadata: { name: string } }[]).map((item) => item.metadata.name);
}

beforeAll(async () => {
  server = await FakeApiServer.start({ namespaces: ['reads', 'reads-other'] });
  const labels: Record<string, Record<string, string>> = {
    a: { app: 'web', tier: '1' },
    b: { app: 'db', tier: '2' },
    c: { app: 'web' },
    d: {},
    e: { app: 'cache', tier: '5' },
  };
  for (const [name, set] of Object.entries(labels)) {
    await raw(server, CM, { method: 'POST', body: { metadata: { name, labels: set } } });
  }
  await raw(server, '/api/v1/namespaces/reads-other/configmaps', {
    method: 'POST',
    body: { metadata: { name: 'z' } },
  });
});

afterAll(async () => {
  await server.stop();
});

describe('get and list', () => {
  it('lists with kind, apiVersion and the store resourceVersion, items sorted by name', async () => {
    const list = (await raw(server, CM)).json();
    expect(list).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
    expect(names(list)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(Number(text(list, 'metadata', 'resourceVersion'))).toBeGreaterThanOrEqual(6);
  });

  it('lists across namespaces without one in the path', async () => {
    expect(names((await raw(server, '/api/v1/configmaps')).json())).toEqual(
      expect.arrayContaining(['a', 'z']),
    );
  });

  it.each([
    ['app=web', ['a', 'c']],
    ['app!=web', ['b', 'd', 'e']],
    ['app in (db,cache)', ['b', 'e']],
    ['app notin (web)', ['b', 'd', 'e']],
    ['tier', ['a', 'b', 'e']],
    ['!tier', ['c', 'd']],
    ['tier>1', ['b', 'e']],
    ['app=web,tier', ['a']],
  ])('selects labels with %j', async (selector, expected) => {
    const list = (await raw(server, `${CM}?labelSelector=${encodeURIComponent(selector)}`)).json();
    expect(names(list)).toEqual(expected);
  });

  it('answers 400 for a bad label selector', async () => {
    const response = await raw(server, `${CM}?labelSelector=${encodeURIComponent('app in web')}`);
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ reason: 'BadRequest' });
  });

  it('selects by metadata.name and answers 400 for unsupported field labels', async () => {
    expect(names((await raw(server, `${CM}?fieldSelector=metadata.name%3Dc`)).json())).toEqual(['c']);
    expect(
      names((await raw(server, `${CM}?fieldSelector=metadata.name!%3Dc,metadata.namespace%3Dreads`)).json()),
    ).toEqual(['a', 'b', 'd', 'e']);
    const bad = await raw(server, `${CM}?fieldSelector=spec.x%3D1`);
    expect(bad.status).toBe(400);
    expect(text(bad.json(), 'message')).toBe('field label not supported: spec.x');
  });

  it('selects events by involvedObject fields in any order, as kubectl describe sends them', async () => {
    const base = {
      involvedObject: { kind: 'KopfExample', name: 'kex', namespace: 'reads', uid: 'u-1' },
      reason: 'Logging',
      message: 'hi',
      type: 'Normal',
    };
    await raw(server, '/api/v1/namespaces/reads/events', {
      method: 'POST',
      body: { metadata: { name: 'ev-1' }, ...base },
    });
    await raw(server, '/api/v1/namespaces/reads/events', {
      method: 'POST',
      body: { metadata: { name: 'ev-2' }, ...base, involvedObject: { ...base.involvedObject, uid: 'u-2' } },
    });
    const selector =
      'involvedObject.uid=u-1,involvedObject.name=kex,involvedObject.namespace=reads,involvedObject.kind=KopfExample';
    expect(
      names(
        (
          await raw(
            server,
            `/api/v1/namespaces/reads/events?fieldSelector=${encodeURIComponent(selector)}&limit=500`,
          )
        ).json(),
      ),
    ).toEqual(['ev-1']);
    const v1 = (
      await raw(server, '/apis/events.k8s.io/v1/namespaces/reads/events?fieldSelector=regarding.uid%3Du-2')
    ).json();
    expect(names(v1)).toEqual(['ev-2']);
    expect(at(v1, 'items', 0)).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { uid: 'u-2' },
      note: 'hi',
    });
  });

  it('selects namespaces by status.phase', async () => {
    const list = (await raw(server, '/api/v1/namespaces?fieldSelector=status.phase%3DActive')).json();
    expect(names(list)).toContain('default');
  });

  it('paginates with limit and continue over the first page snapshot', async () => {
    const first = (await raw(server, `${CM}?limit=2`)).json();
    expect(names(first)).toEqual(['a', 'b']);
    expect(at(first, 'metadata', 'remainingItemCount')).toBe(3);
    await raw(server, CM, { method: 'POST', body: { metadata: { name: 'bb' } } });
    await raw(server, `${CM}/c`, { method: 'DELETE' });
    const second = (
      await raw(server, `${CM}?limit=2&continue=${encodeURIComponent(text(first, 'metadata', 'continue'))}`)
    ).json();
    expect(names(second)).toEqual(['c', 'd']);
    expect(text(second, 'metadata', 'resourceVersion')).toBe(text(first, 'metadata', 'resourceVersion'));
    const third = (
      await raw(server, `${CM}?limit=2&continue=${encodeURIComponent(text(second, 'metadata', 'continue'))}`)
    ).json();
    expect(names(third)).toEqual(['e']);
    expect(at(third, 'metadata', 'continue')).toBeUndefined();
    await raw(server, `${CM}/bb`, { method: 'DELETE' });
    await raw(server, CM, { method: 'POST', body: { metadata: { name: 'c', labels: { app: 'web' } } } });
  });

  it('answers 410 Expired for a continue token older than the history, and 400 with a resourceVersion', async () => {
    const first = (await raw(server, `${CM}?limit=1`)).json();
    const token = encodeURIComponent(text(first, 'metadata', 'continue'));
    const withVersion = await raw(server, `${CM}?limit=1&continue=${token}&resourceVersion=1`);
    expect(withVersion.status).toBe(400);
    await raw(server, CM, { method: 'POST', body: { metadata: { name: 'after-token' } } });
    server.faults.compactHistory();
    const expired = await raw(server, `${CM}?limit=1&continue=${token}`);
    expect(expired.status).toBe(410);
    expect(expired.json()).toMatchObject({ reason: 'Expired', code: 410 });
    expect(text(expired.json(), 'message')).toMatch(/^The provided continue parameter is too old/);
    await raw(server, `${CM}/after-token`, { method: 'DELETE' });
  });

  it('serves resourceVersion semantics: exact with limit, 410 when compacted, 504 from the future', async () => {
    const rv = Number(text((await raw(server, CM)).json(), 'metadata', 'resourceVersion'));
    await raw(server, CM, { method: 'POST', body: { metadata: { name: 'later' } } });
    const exact = (await raw(server, `${CM}?resourceVersion=${rv}&resourceVersionMatch=Exact`)).json();
    expect(names(exact)).not.toContain('later');
    expect(text(exact, 'metadata', 'resourceVersion')).toBe(String(rv));
    expect(names((await raw(server, `${CM}?resourceVersion=0`)).json())).toContain('later');
    const future = await raw(server, `${CM}?resourceVersion=${rv + 1000}`);
    expect(future.status).toBe(504);
    server.faults.compactHistory();
    const old = await raw(server, `${CM}?resourceVersion=${rv}&limit=10`);
    expect(old.status).toBe(410);
    expect(text(old.json(), 'message')).toMatch(/^too old resource version/);
    await raw(server, `${CM}/later`, { method: 'DELETE' });
  });

  it('renders Tables with printer columns and PartialObjectMetadata on request', async () => {
    const table = (
      await raw(server, '/api/v1/namespaces', {
        headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
      })
    ).json();
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect((at(table, 'columnDefinitions') as { name: string }[]).map((column) => column.name)).toEqual([
      'Name',
      'Status',
      'Age',
    ]);
    expect(at(table, 'rows', 0, 'cells', 1)).toBe('Active');
    const partial = (
      await raw(server, `${CM}/a`, {
        headers: { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' },
      })
    ).json();
    expect(partial).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'a' },
    });
    expect(partial).not.toHaveProperty('data');
  });

  it("prints built-ins with the columns of kube's printers", async () => {
    const accept = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    await raw(server, `${CM}/a`, {
      method: 'PATCH',
      body: '{"data":{"x":"1","y":"2"}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    const maps = (await raw(server, `${CM}?fieldSelector=metadata.name%3Da`, { headers: accept })).json();
    expect((at(maps, 'columnDefinitions') as { name: string }[]).map((c) => c.name)).toEqual([
      'Name',
      'Data',
      'Age',
    ]);
    expect(at(maps, 'rows', 0, 'cells')).toEqual(['a', 2, expect.stringMatching(/^\d+s$/)]);
    const events = (
      await raw(server, '/api/v1/namespaces/reads/events?fieldSelector=metadata.name%3Dev-1', {
        headers: accept,
      })
    ).json();
    expect((at(events, 'columnDefinitions') as { name: string }[]).map((c) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Message',
    ]);
    expect((at(events, 'rows', 0, 'cells') as unknown[]).slice(1)).toEqual([
      'Normal',
      'Logging',
      'kopfexample/kex',
      'hi',
    ]);
    const services = (await raw(server, '/api/v1/namespaces/default/services', { headers: accept })).json();
    expect(at(services, 'rows', 0, 'cells')).toEqual([
      'kubernetes',
      'ClusterIP',
      '10.96.0.1',
      '<none>',
      '443/TCP',
      expect.any(String),
    ]);
  });

  it('has a default ServiceAccount in every namespace and the kubernetes Service', async () => {
    const accounts = await eventually(async () => {
      const list = (await raw(server, '/api/v1/serviceaccounts')).json();
      return (at(list, 'items') as unknown[]).length >= 6 ? list : undefined;
    });
    expect(
      new Set((at(accounts, 'items') as { metadata: { name: string } }[]).map((item) => item.metadata.name)),
    ).toEqual(new Set(['default']));
    expect((await raw(server, '/api/v1/namespaces/default/services/kubernetes')).json()).toMatchObject({
      spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] },
    });
  });

  it('answers 404 NotFound with the group-qualified name', async () => {
    const response = await raw(server, `${CM}/missing`);
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({
      message: 'configmaps "missing" not found',
      details: { name: 'missing', kind: 'configmaps' },
    });
  });
});
