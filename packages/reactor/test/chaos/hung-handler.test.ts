/**
 * Found by the bad-input scenarios (see /work/notes/engine-findings.md, "From L2"): a
 * handler that never returns blocks its object for good, even with `timeout`. The
 * timeout is only checked when an attempt starts (`executeHandlerOnce` in
 * `execution.ts`), and the running attempt is awaited without a limit, so no
 * timeout line is ever logged and the object's creation never finishes.
 */
import { on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD } from '../talk/support.js';
import { creationFinished, exampleBody } from './bad-input-support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('a handler that never returns, with a timeout', () => {
  it('times out with a clear line, and the creation finishes as failed', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry, timeout: 1 }, function create_fn() {
      return new Promise(() => {});
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(exampleBody('never-returns'));
    const line = await run.waitForLog(/\[default\/never-returns\] Handler 'create_fn' .*timed out/, 15);
    expect(line).toMatch(/after 1(\.\d+)? s/);
    await run.waitForLog('[default/never-returns] Creation is processed: 0 succeeded; 1 failed.', 15);
    await creationFinished(run, 'never-returns');
  });
});
