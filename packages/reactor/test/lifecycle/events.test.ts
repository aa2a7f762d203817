import { type Body, on, Registry, TemporaryError } from '@kopf/core';
import type { HandlerReport, StuckReport } from '@kopf/reactor';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe("the operator's lifecycle events", () => {
  it('report each handler attempt and an object stuck after repeated failures', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn({ retry }) {
      if (retry < 3) throw new TemporaryError('the backend is down', { delay: 0.05 });
      return { done: true };
    });
    run = await runOperator({ registry, apply: CRD, stuckAfter: 2 });
    const succeeded: HandlerReport[] = [];
    const failed: HandlerReport[] = [];
    const stuck: StuckReport[] = [];
    run.operator.on('handlerSucceeded', (report) => succeeded.push(report));
    run.operator.on('handlerFailed', (report) => failed.push(report));
    run.operator.on('objectStuck', (report) => stuck.push(report));
    await run.cluster.apply(OBJ);
    await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);

    expect(failed.map((r) => [r.handler, r.outcome, r.retry])).toEqual([
      ['create_fn', 'temporary', 0],
      ['create_fn', 'temporary', 1],
      ['create_fn', 'temporary', 2],
    ]);
    expect(failed[0]?.message).toBe("Handler 'create_fn' failed temporarily: the backend is down");
    expect(failed[0]?.object).toMatchObject({
      kind: 'KopfExample',
      name: 'kopf-example-1',
      namespace: 'default',
    });
    expect(succeeded.map((r) => [r.handler, r.outcome, r.retry, r.resource])).toEqual([
      ['create_fn', 'success', 3, 'kopfexamples.v1.kopf.dev'],
    ]);
    expect(succeeded[0]?.duration).toBeGreaterThanOrEqual(0);
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ reason: 'retrying', handler: 'create_fn', attempts: 2 });
  });

  it('keep the engine going when a listener throws', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {
      return { done: true };
    });
    run = await runOperator({ registry, apply: CRD });
    run.operator.on('handlerSucceeded', () => {
      throw new Error('a broken listener');
    });
    await run.cluster.apply(OBJ);
    await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);
    expect(run.lines('error')).toContain("A listener of the operator's 'handlerSucceeded' event has failed.");
  });
});
