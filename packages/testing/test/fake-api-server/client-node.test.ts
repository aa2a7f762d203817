import { FakeApiServer } from '@kopf/testing';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, eventually, type Json, kopfExample, kopfExampleCrd, kubeConfigFor, text } from './support.js';

let server: FakeApiServer;

beforeAll(async () => {
  server = await FakeApiServer.start();
  const objects = KubernetesObjectApi.makeApiClient(kubeConfigFor(server));
  await objects.create(kopfExampleCrd());
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
});
