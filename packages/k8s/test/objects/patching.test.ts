import type { KubernetesObject } from '@kopf/core';
import { ApiUnprocessableError, countingClient, createObject, getObject, patchObject } from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import { createKopfExampleCrd, KOPFEXAMPLES, kopfExample, startCluster } from '../support.js';

const ref = { name: 'kex-1', namespace: 'default' };

describe('patchObject', () => {
  it('sends status to the /status subresource and the rest to the object', async () => {
    const { server, client } = await startCluster();
    await createKopfExampleCrd(client);
    await createObject(client, KOPFEXAMPLES, kopfExample('kex-1'));
    const counting = countingClient(client);
    const patched = await patchObject<KubernetesObject>(
      counting,
      KOPFEXAMPLES,
      ref,
      {
        metadata: { annotations: { a: 'b' } },
        spec: { field: 'changed' },
        status: { create_fn: { message: 'hi' } },
      },
      { type: 'merge' },
    );
    expect(patched).toMatchObject({
      metadata: { annotations: { a: 'b' } },
      spec: { field: 'changed' },
      status: { create_fn: { message: 'hi' } },
    });
    expect(counting.counts()).toEqual({ 'patch kopfexamples': 1, 'patch kopfexamples/status': 1 });
    expect(server.counters.get({ verb: 'patch', resource: 'kopfexamples', subresource: 'status' })).toBe(1);

    counting.reset();
    await patchObject(counting, KOPFEXAMPLES, ref, { status: { only: true } }, { type: 'merge' });
    expect(counting.counts()).toEqual({ 'patch kopfexamples/status': 1 });
  });

  it('puts status into the main body when the resource has no status subresource', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client, { status: false });
    const plain = { ...KOPFEXAMPLES, subresources: [] };
    await createObject(client, plain, kopfExample('kex-1'));
    const counting = countingClient(client);
    const patched = await patchObject<KubernetesObject>(
      counting,
      plain,
      ref,
      { status: { create_fn: { message: 'hi' } } },
      { type: 'merge', subresource: 'status' },
    );
    expect(patched).toMatchObject({ status: { create_fn: { message: 'hi' } } });
    expect(counting.counts()).toEqual({ 'patch kopfexamples': 1 });
    expect(await getObject(client, plain, ref)).toMatchObject({ status: { create_fn: { message: 'hi' } } });
  });

  it("applies JSON patches, and a failed 'test' is a 422 the caller can retry on", async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const created = await createObject(client, KOPFEXAMPLES, kopfExample('kex-1'));
    const rv = created.metadata?.resourceVersion;
    const patched = await patchObject<KubernetesObject>(
      client,
      KOPFEXAMPLES,
      ref,
      [
        { op: 'test', path: '/metadata/resourceVersion', value: rv },
        { op: 'add', path: '/metadata/finalizers', value: ['kopf.zalando.org/KopfFinalizerMarker'] },
      ],
      { type: 'json' },
    );
    expect(patched?.metadata?.finalizers).toEqual(['kopf.zalando.org/KopfFinalizerMarker']);
    const stale = patchObject(
      client,
      KOPFEXAMPLES,
      ref,
      [
        { op: 'test', path: '/metadata/resourceVersion', value: rv },
        { op: 'remove', path: '/metadata/finalizers/0' },
      ],
      { type: 'json' },
    );
    await expect(stale).rejects.toThrow(ApiUnprocessableError);
  });

  it('resolves undefined when the object is gone', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    await expect(
      patchObject(client, KOPFEXAMPLES, ref, { spec: { x: 1 } }, { type: 'merge' }),
    ).resolves.toBeUndefined();
    await expect(
      patchObject(client, KOPFEXAMPLES, ref, { status: { x: 1 } }, { type: 'merge' }),
    ).resolves.toBeUndefined();
  });
});
