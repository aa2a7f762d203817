import { type Body, on, Registry } from '@kopf/core';
import { StatusDiffBaseStorage } from '@kopf/reactor';
import { FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ, waitGone } from '../talk/support.js';

const DIFF_BASE = 'kopf.zalando.org/last-handled-configuration';
let server: FakeApiServer | undefined;
let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  await server?.stop();
  run = server = undefined;
});

function registryWithHandlers(): Registry {
  const registry = new Registry();
  on.create('kopfexamples', { registry }, function create_fn() {
    return { message: 'hello world' };
  });
  on.update('kopfexamples', { registry }, function update_fn() {});
  on.delete('kopfexamples', { registry }, function delete_fn() {});
  return registry;
}

const patches = () => server?.counters.get({ verb: 'patch', resource: 'kopfexamples' }) ?? 0;

/** Waits until the operator has nothing more to do: the patch count stays still. */
async function settled(): Promise<number> {
  let last = -1;
  for (;;) {
    const now = patches();
    if (now === last) return now;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('API-call budget (a CRD with the status subresource)', () => {
  it('makes no more PATCHes than Kopf 1.44: 3 on create, 1 on update, 1 on delete, 0 on resume', async () => {
    server = await FakeApiServer.start();
    run = await runOperator({ registry: registryWithHandlers(), server, apply: CRD });
    await run.cluster.apply(OBJ);
    await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);
    await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.metadata?.annotations?.[DIFF_BASE] !== undefined);
    expect(await settled()).toBeLessThanOrEqual(3);

    await run.cluster.patch(EXAMPLE, { spec: { field: 'changed' } });
    const beforeUpdate = patches(); // the test's own PATCH is not the operator's
    await run.waitForLog('Updating is processed: 1 succeeded; 0 failed.');
    expect((await settled()) - beforeUpdate).toBeLessThanOrEqual(1);

    // A restart: the unchanged object is resumed without a single PATCH.
    await run.stop();
    const beforeResume = patches();
    run = await runOperator({ registry: registryWithHandlers(), server });
    await eventually(
      () => run?.lines('debug').some((l) => l.includes('Resuming is in progress')) ?? false,
      'resumed',
    );
    expect((await settled()) - beforeResume).toBe(0);

    const beforeDelete = patches();
    await run.cluster.delete(EXAMPLE);
    await waitGone(run);
    expect((await settled()) - beforeDelete).toBeLessThanOrEqual(1);
  });

  it('makes only 2 PATCHes on create when the diff-base is kept in the status', async () => {
    server = await FakeApiServer.start();
    const settings = { persistence: { diffbaseStorage: new StatusDiffBaseStorage() } };
    run = await runOperator({ registry: registryWithHandlers(), server, settings, apply: CRD });
    await run.cluster.apply(OBJ);
    const object = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.kopf !== undefined);
    expect(object?.status?.create_fn).toEqual({ message: 'hello world' });
    expect(await settled()).toBe(2);
  });
});
