/**
 * Handlers may throw anything, not only Errors. Whatever was thrown is named once
 * in the log line (an Error adds its stack as a detail; a string does not repeat
 * itself) and stored in the progress annotation as the same text the log shows.
 */
import { type Body, on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const RETRY_LINE =
  "[default/kopf-example-1] Handler 'create_fn' failed with an exception and will try again in 60 seconds:";

describe('a handler that throws a non-Error value', () => {
  for (const [kind, thrown, text] of [
    ['a string', 'out of disks', 'out of disks'],
    ['an object', { code: 7 }, '{"code":7}'],
    ['undefined', undefined, 'undefined'],
  ] as const) {
    it(`logs ${kind} once and stores the same text in its progress`, async () => {
      const registry = new Registry();
      on.create('kopfexamples', { registry }, function create_fn() {
        throw thrown;
      });
      run = await runOperator({ registry, apply: CRD });
      await run.cluster.apply(OBJ);
      await run.waitForLog(RETRY_LINE);
      expect(run.lines().filter((line) => line.startsWith(RETRY_LINE))).toEqual([`${RETRY_LINE} ${text}`]);
      const stored = await run.cluster.waitFor<Body>(
        EXAMPLE,
        (object) => object?.metadata?.annotations?.['kopf.zalando.org/create_fn'] !== undefined,
      );
      const progress = JSON.parse(stored?.metadata?.annotations?.['kopf.zalando.org/create_fn'] ?? '{}');
      expect(progress.message).toBe(text);
    });
  }
});

describe('a permanent handler that throws undefined', () => {
  it('fails, and is not taken for a success', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry, errors: 'permanent' }, function create_fn() {
      throw undefined;
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('[default/kopf-example-1] Creation is processed: 0 succeeded; 1 failed.');
    expect(run.lines()).toContain(
      "[default/kopf-example-1] Handler 'create_fn' failed with an exception and will stop now: undefined",
    );
  });
});

describe('a handler that fails with a huge message', () => {
  it('keeps a cut message in its progress, within the API limits of annotations', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {
      throw new Error('x'.repeat(400_000));
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    const stored = await run.cluster.waitFor<Body>(
      EXAMPLE,
      (object) => object?.metadata?.annotations?.['kopf.zalando.org/create_fn'] !== undefined,
    );
    const progress = JSON.parse(stored?.metadata?.annotations?.['kopf.zalando.org/create_fn'] ?? '{}');
    expect(progress.message).toBe(`${'x'.repeat(10_000)}… (390000 more characters)`);
  });
});
