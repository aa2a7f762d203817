import type { KubernetesObject } from '@kopf/core';
import {
  ApiConflictError,
  countingClient,
  createObject,
  deleteObject,
  getObject,
  listObjects,
  patchObject,
  replaceObject,
} from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import {
  CONFIGMAPS,
  createKopfExampleCrd,
  KOPFEXAMPLES,
  kopfExample,
  startCluster,
  startWatching,
} from '../support.js';

describe('objects', () => {
  it('are created, read, replaced with optimistic concurrency, and deleted', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const created = await createObject(client, KOPFEXAMPLES, kopfExample('kex-1'));
    expect(created.metadata?.uid).toBeTruthy();
    await expect(createObject(client, KOPFEXAMPLES, kopfExample('kex-1'))).rejects.toThrow(ApiConflictError);

    const read = await getObject(client, KOPFEXAMPLES, { name: 'kex-1', namespace: 'default' });
    const replaced = await replaceObject(client, KOPFEXAMPLES, { ...read!, spec: { field: 'new' } });
    expect(replaced.spec).toEqual({ field: 'new' });
    await expect(replaceObject(client, KOPFEXAMPLES, { ...read!, spec: { field: 'stale' } })).rejects.toThrow(
      ApiConflictError,
    );

    await expect(
      deleteObject(client, KOPFEXAMPLES, { name: 'kex-1', namespace: 'default' }),
    ).resolves.toBeUndefined();
    await expect(
      getObject(client, KOPFEXAMPLES, { name: 'kex-1', namespace: 'default' }),
    ).resolves.toBeUndefined();
    await expect(
      deleteObject(client, KOPFEXAMPLES, { name: 'kex-1', namespace: 'default' }),
    ).resolves.toBeUndefined();
  });

  it('stay after deletion while finalizers are pending', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const body = kopfExample('kex-1');
    body.metadata = { ...body.metadata, finalizers: ['example.com/hold'] };
    await createObject(client, KOPFEXAMPLES, body);
    const ref = { name: 'kex-1', namespace: 'default' };
    const pending = await deleteObject<KubernetesObject>(client, KOPFEXAMPLES, ref, {
      propagationPolicy: 'Background',
    });
    expect(pending?.metadata?.deletionTimestamp).toBeTruthy();
    await patchObject(client, KOPFEXAMPLES, ref, { metadata: { finalizers: null } }, { type: 'merge' });
    await expect(getObject(client, KOPFEXAMPLES, ref)).resolves.toBeUndefined();
  });

  it('are listed page by page', async () => {
    const { server, client } = await startCluster();
    for (let i = 0; i < 25; i++) {
      await createObject(client, CONFIGMAPS, { metadata: { name: `cm-${i}`, namespace: 'default' } });
    }
    const counting = countingClient(client);
    const list = await listObjects(counting, CONFIGMAPS, { namespace: 'default', pageSize: 10 });
    expect(list.items.map((item) => item.metadata?.name).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `cm-${i}`).sort(),
    );
    expect(list.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(counting.counts()).toEqual({ 'list configmaps': 3 });
    expect(server.counters.get({ verb: 'list', resource: 'configmaps' })).toBe(3);

    const watcher = startWatching(client, CONFIGMAPS, { namespace: 'default', pageSize: 10 });
    await watcher.waitFor((event) => event.type === 'SYNCED');
    expect(watcher.events.filter((event) => event.type === 'LISTED')).toHaveLength(25);
  });

  it('can be selected by labels and fields', async () => {
    const { client } = await startCluster();
    await createObject(client, CONFIGMAPS, {
      metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } },
    });
    await createObject(client, CONFIGMAPS, {
      metadata: { name: 'b', namespace: 'default', labels: { app: 'y' } },
    });
    const byLabel = await listObjects(client, CONFIGMAPS, { namespace: 'default', labelSelector: 'app=x' });
    expect(byLabel.items.map((item) => item.metadata?.name)).toEqual(['a']);
    const byField = await listObjects(client, CONFIGMAPS, { fieldSelector: 'metadata.name=b' });
    expect(byField.items.map((item) => item.metadata?.name)).toEqual(['b']);
  });
});
