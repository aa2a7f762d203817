/**
 * Found by the bad-input scenarios (see /work/notes/engine-findings.md, "From L2"): a
 * handler that returns what JSON cannot hold (a BigInt, a circular object) is logged
 * as succeeded, then the cycle's patch cannot be built: "Throttling for 1 seconds due
 * to an unexpected error: TypeError: Do not know how to serialize a BigInt", the
 * object keeps no diff-base and no progress, and nothing handles it again until it
 * changes. The handler should fail instead, with a line naming it and the problem,
 * and the cycle go on.
 */
import { on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD } from '../talk/support.js';
import { circular, creationFinished, exampleBody } from './bad-input-support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('a handler result that JSON cannot hold', () => {
  for (const [kind, result] of [
    ['bigint', () => ({ count: 10n })],
    ['circular', circular],
  ] as const) {
    it(`fails the handler with a clear line and finishes the creation (${kind})`, async () => {
      const registry = new Registry();
      on.create('kopfexamples', { registry }, function create_fn() {
        return result() as object;
      });
      run = await runOperator({ registry, apply: CRD });
      const name = `returns-${kind}`;
      await run.cluster.apply(exampleBody(name));
      const line = await run.waitForLog(new RegExp(`\\[default/${name}\\] Handler 'create_fn' .*JSON`), 15);
      expect(line).not.toContain('succeeded');
      await creationFinished(run, name);
      expect(run.lines('debug').filter((l) => l.includes('Throttling'))).toEqual([]);
    });
  }
});
