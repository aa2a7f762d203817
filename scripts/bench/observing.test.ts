import { createApiClient, createObject, patchObject } from '@kopf/k8s';
import { eventually, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DIFF_BASE_ANNOTATION,
  exampleAddress,
  exampleBody,
  KOPF_EXAMPLES,
  KOPF_EXAMPLES_CRD,
  NAMESPACE,
} from './kopf-examples.js';
import { ResultObserver, resultStored } from './observing.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startObserved(condition: Parameters<typeof resultStored>[0]) {
  const server = await FakeApiServer.start({ namespaces: [NAMESPACE] });
  cleanups.push(() => server.stop());
  const client = await createApiClient({
    connection: { server: server.url, caData: server.caData, token: server.token },
  });
  cleanups.push(() => client.close());
  const crds = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
  await createObject(client, crds, KOPF_EXAMPLES_CRD);
  const observer = new ResultObserver(client, resultStored(condition));
  cleanups.push(() => observer.stop());
  await observer.synced();
  const at = exampleAddress(1);
  // The CRD is served once it is established: a moment after its creation.
  await eventually(() =>
    createObject(client, KOPF_EXAMPLES, exampleBody(1)).then(
      () => true,
      () => false,
    ),
  );
  const patch = (body: object) => patchObject(client, KOPF_EXAMPLES, at, body, { type: 'merge' });
  const patchStatus = (body: object) =>
    patchObject(client, KOPF_EXAMPLES, at, body, { type: 'merge', subresource: 'status' });
  return { observer, patch, patchStatus };
}

describe('ResultObserver', () => {
  it('counts an object done when it carries the result', async () => {
    const { observer, patchStatus } = await startObserved({ field: 'create_fn' });
    await patchStatus({ status: { create_fn: { message: 'hello world' } } });
    await observer.whenCount(1);
    expect([...observer.stored.keys()]).toEqual([1]);
  });

  it('with an annotation, waits for that annotation too, however late it comes', async () => {
    const { observer, patch, patchStatus } = await startObserved({
      field: 'create_fn',
      annotation: DIFF_BASE_ANNOTATION,
    });
    await patchStatus({ status: { create_fn: { message: 'hello world' } } });
    await patch({ metadata: { labels: { unrelated: 'change' } } }); // seen by the watch after the status
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(observer.stored.size).toBe(0);
    await patch({ metadata: { annotations: { [DIFF_BASE_ANNOTATION]: '{}\n' } } });
    await observer.whenCount(1);
    expect([...observer.stored.keys()]).toEqual([1]);
  });

  it('waits for the awaited result, and for the annotation to contain what is asked', async () => {
    const { observer, patch, patchStatus } = await startObserved({
      field: 'update_fn',
      accepts: (result) => (result as { round?: number }).round === 2,
      annotation: DIFF_BASE_ANNOTATION,
      containing: '"round":2',
    });
    await patch({ metadata: { annotations: { [DIFF_BASE_ANNOTATION]: '{"spec":{"round":1}}\n' } } });
    await patchStatus({ status: { update_fn: { round: 1 } } });
    await patchStatus({ status: { update_fn: { round: 2 } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(observer.stored.size).toBe(0);
    await patch({ metadata: { annotations: { [DIFF_BASE_ANNOTATION]: '{"spec":{"round":2}}\n' } } });
    await observer.whenCount(1);
    expect([...observer.stored.keys()]).toEqual([1]);
  });
});
