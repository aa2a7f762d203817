import { type Body, on, Registry, register, subhandler, TemporaryError } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('sub-handlers (Kopf example 07)', () => {
  it('runs one sub-handler per item, retries the failing one alone, and stores their results', async () => {
    const registry = new Registry();
    const calls: string[] = [];
    on.create('kopfexamples', { registry }, function create_fn({ spec }) {
      for (const item of spec.items as string[]) {
        subhandler({ id: item })(function child({ retry }) {
          calls.push(`${item}#${retry}`);
          if (item === 'item2' && retry < 2) throw new TemporaryError('not yet', { delay: 0.05 });
          return { item };
        });
      }
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Creation is processed: 1 succeeded; 0 failed.');
    expect(calls).toEqual(['item1#0', 'item2#0', 'item2#1', 'item2#2']);
    // The log line comes before the cycle's patch is sent: wait for the object itself.
    // Results go to /status first, then the main patch purges the progress: wait for both
    // (a timeout here means the progress annotations were left behind).
    const purged = (o: Body | undefined): boolean =>
      !Object.keys(o?.metadata?.annotations ?? {}).some((key) => key.includes('create_fn'));
    const object = await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => o?.status?.['create_fn/item2'] !== undefined && purged(o),
    );
    expect(object?.status).toMatchObject({
      'create_fn/item1': { item: 'item1' },
      'create_fn/item2': { item: 'item2' },
    });
    // A parent waiting for its sub-handlers posts no Event (Kopf logs it at debug level only).
    const current = run;
    await eventually(
      async () =>
        (await current.cluster.events(EXAMPLE)).some((e) =>
          String(e.message).includes("'create_fn' succeeded"),
        ),
      "the parent's success Event",
    );
    const messages = (await run.cluster.events(EXAMPLE)).map((e) => `${e.reason}: ${e.message}`);
    expect(messages).toEqual(["Success: Handler 'create_fn' succeeded."]);
  });

  it('runs functional sub-handlers registered with register()', async () => {
    const registry = new Registry();
    const calls: string[] = [];
    on.create('kopfexamples', { registry }, function create_fn() {
      register(() => void calls.push('first'), { id: 'first' });
      register(() => void calls.push('second'), { id: 'second' });
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Creation is processed: 1 succeeded; 0 failed.');
    expect(calls.sort()).toEqual(['first', 'second']);
  });
});
