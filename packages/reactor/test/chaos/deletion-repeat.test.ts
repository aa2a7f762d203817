/**
 * Found by the chaos run: a deletion handler runs twice in the same process when
 * the deletion cycle also merge-patches the object (it supersedes an unfinished
 * update: the progress is purged and the diff-base stored) before it removes the
 * finalizer. The merge patch's own MODIFIED event (still with the finalizer) arrives
 * after the finalizer is gone, and is handled as a new deletion.
 */
import { on, Registry, TemporaryError } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ, waitGone } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('deletion after an unfinished update', () => {
  it('runs the deletion handler once', async () => {
    const deletions: string[] = [];
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {});
    on.update('kopfexamples', { registry }, function update_fn() {
      throw new TemporaryError('not yet', { delay: 60 });
    });
    on.delete('kopfexamples', { registry }, function delete_fn({ name }) {
      deletions.push(name ?? '');
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Creation is processed: 1 succeeded; 0 failed.');
    await run.cluster.patch(EXAMPLE, { spec: { field: 'changed' } });
    await run.waitForLog("Handler 'update_fn' failed temporarily: not yet");

    await run.cluster.delete(EXAMPLE);
    await waitGone(run);
    await run.waitForLog('Deleted, really deleted, and we are notified.');
    const current = run;
    await eventually(
      () => current.lines('debug').some((line) => line.includes('Deletion is processed')),
      'deleted',
    );
    expect(deletions).toEqual(['kopf-example-1']);
  });
});
