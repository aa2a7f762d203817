/**
 * Found by the bad-input scenarios (see /work/notes/engine-findings.md, "From L2"): when
 * describing what a handler threw throws too (an object without a prototype that JSON
 * cannot hold, a Proxy whose traps throw, an Error whose `message` getter throws), the
 * failure is never classified: the cycle ends in "Throttling for 1 seconds due to an
 * unexpected error", no attempt is recorded, and the handler is never retried.
 */
import { on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD } from '../talk/support.js';
import { exampleBody } from './bad-input-support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

function trap(): never {
  throw new Error('trap');
}

const THROWN: Record<string, () => never> = {
  'null-prototype': () => {
    const thrown = Object.create(null) as Record<string, unknown>;
    thrown.count = 1n;
    throw thrown;
  },
  proxy: () => {
    throw new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap });
  },
  'message-getter': () => {
    const error = new Error('unseen');
    Object.defineProperty(error, 'message', { get: trap });
    throw error;
  },
};

describe('a thrown value that cannot be described', () => {
  it('is still a failure of the handler: retried, then given up', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry, backoff: 0.5, retries: 2 }, function create_fn({ name }) {
      return THROWN[(name ?? '').slice('throws-'.length)]?.();
    });
    run = await runOperator({ registry, apply: CRD });
    for (const kind of Object.keys(THROWN)) await run.cluster.apply(exampleBody(`throws-${kind}`));
    for (const kind of Object.keys(THROWN)) {
      await run.waitForLog(`[default/throws-${kind}] Creation is processed: 0 succeeded; 1 failed.`, 15);
    }
    expect(run.lines('error').filter((line) => line.includes('Throttling'))).toEqual([]);
  });
});
