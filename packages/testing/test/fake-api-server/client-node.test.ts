import { FakeApiServer } from '@kopf/testing';
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, eventually, type Json, kopfExample, kopfExampleCrd, kubeConfigFor, text } from './support.js';

let server: FakeApiServer;

beforeAll(async () => {
  server = await FakeApiServer.start();
  // Not KubernetesObjectApi: its typed serializer drops `x-kubernetes-preserve-unknown-fields`
  // (it expects `x_kubernetes_preserve_unknown_fields`), and `spec` would then be pruned.
  const custom = kubeConfigFor(server).makeApiClient(CustomObjectsApi);
  const crds = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
  await custom.createClusterCustomObject({ ...crds, body: kopfExampleCrd() });
});

afterAll(async () => {
  await server.stop();
});

describe('FakeApiServer with client-node 1.4.0', () => {
  it('creates, reads, lists and deletes custom objects through KubernetesObjectApi', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kubeConfigFor(server));
    const created = await objects.create(kopfExample('crud-1'));
    expect(text(created, 'metadata', 'uid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(at(created, 'metadata', 'generation')).toBe(1);
    const read = await objects.read({
      apiVersion: 'kopf.dev/v1',
      kind: 'KopfExample',
      metadata: { name: 'crud-1', namespace: 'default' },
    });
    expect(read.metadata?.resourceVersion).toBe(text(created, 'metadata', 'resourceVersion'));
    const list = await objects.list('kopf.dev/v1', 'KopfExample', 'default');
    expect(list.items.map((item) => item.metadata?.name)).toContain('crud-1');
    await objects.delete({
      apiVersion: 'kopf.dev/v1',
      kind: 'KopfExample',
      metadata: { name: 'crud-1', namespace: 'default' },
    });
    await expect(
      objects.read({
        apiVersion: 'kopf.dev/v1',
        kind: 'KopfExample',
        metadata: { name: 'crud-1', namespace: 'default' },
      }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('merge-patches and JSON-patches through CustomObjectsApi', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kubeConfigFor(server));
    await objects.create(kopfExample('patch-1'));
    const custom = kubeConfigFor(server).makeApiClient(CustomObjectsApi);
    const base = {
      group: 'kopf.dev',
      version: 'v1',
      namespace: 'default',
      plural: 'kopfexamples',
      name: 'patch-1',
    };
    const merged = (await custom.patchNamespacedCustomObject(
      { ...base, body: { spec: { field: 'changed', items: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as Json;
    expect(merged.spec).toEqual({ duration: '1m', field: 'changed' });
    expect(at(merged, 'metadata', 'generation')).toBe(2);
    const patched = (await custom.patchNamespacedCustomObject(
      {
        ...base,
        body: [
          {
            op: 'test',
            path: '/metadata/resourceVersion',
            value: text(merged, 'metadata', 'resourceVersion'),
          },
          { op: 'add', path: '/metadata/finalizers', value: ['kopf.dev/test'] },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    )) as Json;
    expect(at(patched, 'metadata', 'finalizers')).toEqual(['kopf.dev/test']);
    expect(at(patched, 'metadata', 'generation')).toBe(2);
    await expect(
      custom.patchNamespacedCustomObject(
        { ...base, body: [{ op: 'test', path: '/metadata/resourceVersion', value: '1' }] },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    ).rejects.toMatchObject({ code: 422 });
  });

  it('sees pruned fields as Warning headers, and a Strict create refused with the real message', async () => {
    const custom = kubeConfigFor(server).makeApiClient(CustomObjectsApi);
    const base = { group: 'kopf.dev', version: 'v1', namespace: 'default', plural: 'kopfexamples' };
    const created = await custom.createNamespacedCustomObjectWithHttpInfo({
      ...base,
      body: kopfExample('warned-1', { extra: { not: 'in the schema' } }),
    });
    expect(created.httpStatusCode).toBe(201);
    expect(created.headers.warning).toBe('299 - "unknown field \\"extra\\""');
    expect(created.data).not.toHaveProperty('extra');
    expect(at(created.data, 'spec', 'field')).toBe('value');
    await expect(
      custom.createNamespacedCustomObject({
        ...base,
        body: kopfExample('strict-1', { extra: 1 }),
        fieldValidation: 'Strict',
      }),
    ).rejects.toMatchObject({
      code: 400,
      body: expect.stringContaining(
        'KopfExample in version \\"v1\\" cannot be handled as a KopfExample: strict decoding error: unknown field \\"extra\\"',
      ),
    });
  });

  it('watches changes and resumes from a resource version', async () => {
    const kc = kubeConfigFor(server);
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const seen: string[] = [];
    const watch = new Watch(kc);
    const controller = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type, object) => seen.push(`${type} ${object.metadata?.name ?? ''}`),
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'watched-1' }, data: { a: '1' } },
    });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'watched-1' });
    await eventually(() => seen.length >= 2);
    controller.abort();
    expect(seen).toEqual(['ADDED watched-1', 'DELETED watched-1']);
  });

  it('resumes a dropped watch from the last resourceVersion without losing or repeating events', async () => {
    const kc = kubeConfigFor(server);
    const core = kc.makeApiClient(CoreV1Api);
    const start =
      (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion ?? '';
    const seen: string[] = [];
    let last = start;
    /** Starts a watch from `last`; resolves once connected, with a promise of its end. */
    const run = async (): Promise<{ done: Promise<void> }> => {
      let ended: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        ended = resolve;
      });
      await new Watch(kc).watch(
        '/api/v1/namespaces/default/configmaps',
        { resourceVersion: last, allowWatchBookmarks: true },
        (type, object) => {
          last = object.metadata?.resourceVersion ?? last;
          if (type !== 'BOOKMARK') seen.push(`${type} ${object.metadata?.name}`);
        },
        () => ended(),
      );
      return { done };
    };
    const first = await run();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'resume-1' } } });
    await eventually(() => seen.length === 1);
    expect(server.faults.dropWatches({ resource: 'configmaps' })).toBe(1);
    await first.done;
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'resume-2' } } });
    const second = await run();
    await eventually(() => seen.length === 2);
    server.faults.dropWatches({ resource: 'configmaps' });
    await second.done;
    expect(seen).toEqual(['ADDED resume-1', 'ADDED resume-2']);
  });

  it('passes bookmarks and the 410 ERROR event to the Watch callback', async () => {
    const kc = kubeConfigFor(server);
    const core = kc.makeApiClient(CoreV1Api);
    const rv = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion ?? '';
    const types: string[] = [];
    const controller = await new Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: rv, allowWatchBookmarks: true },
      (type) => types.push(type),
      () => undefined,
    );
    await eventually(() => {
      server.faults.sendBookmarks();
      return types.includes('BOOKMARK');
    });
    controller.abort();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'gone-1' } } });
    server.faults.compactHistory();
    const errors: unknown[] = [];
    let done = false;
    await new Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: rv },
      (type, object) => {
        if (type === 'ERROR') errors.push(object);
      },
      () => {
        done = true;
      },
    );
    await eventually(() => done);
    expect(errors).toEqual([expect.objectContaining({ kind: 'Status', reason: 'Expired', code: 410 })]);
  });

  it('gets HTTP 410 for an expired continue token', async () => {
    const core = kubeConfigFor(server).makeApiClient(CoreV1Api);
    for (const name of ['page-1', 'page-2'])
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name } } });
    const first = await core.listNamespacedConfigMap({ namespace: 'default', limit: 1 });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'page-3' } } });
    server.faults.compactHistory();
    await expect(
      core.listNamespacedConfigMap({ namespace: 'default', limit: 1, _continue: first.metadata?._continue }),
    ).rejects.toMatchObject({ code: 410 });
  });

  it('leases: replace with a stale resourceVersion is a 409 Conflict', async () => {
    const coordination = kubeConfigFor(server).makeApiClient(CoordinationV1Api);
    const lease = await coordination.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name: 'leader' },
        spec: {
          holderIdentity: 'a',
          leaseDurationSeconds: 15,
          renewTime: new V1MicroTime('2026-01-01T00:00:00.000000Z'),
        },
      },
    });
    const renewed = await coordination.replaceNamespacedLease({
      namespace: 'default',
      name: 'leader',
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'b' } },
    });
    expect(renewed.spec?.holderIdentity).toBe('b');
    await expect(
      coordination.replaceNamespacedLease({ namespace: 'default', name: 'leader', body: lease }),
    ).rejects.toMatchObject({ code: 409 });
  });

  it('posts core/v1 events that read back through events.k8s.io/v1', async () => {
    const kc = kubeConfigFor(server);
    await kc.makeApiClient(CoreV1Api).createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'kopf-event-' },
        involvedObject: {
          apiVersion: 'kopf.dev/v1',
          kind: 'KopfExample',
          name: 'x',
          namespace: 'default',
          uid: 'u-x',
        },
        reason: 'Logging',
        message: 'Handler succeeded.',
        type: 'Normal',
        source: { component: 'kopf' },
        reportingComponent: 'kopf',
      },
    });
    const events = await kc
      .makeApiClient(EventsV1Api)
      .listNamespacedEvent({ namespace: 'default', fieldSelector: 'regarding.uid=u-x' });
    expect(
      events.items.map((event) => [event.note, event.reportingController, event.regarding?.name]),
    ).toEqual([['Handler succeeded.', 'kopf', 'x']]);
  });
});
