import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('07-subhandlers', () => {
  it('runs a sub-handler per item and stores each result', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Creation is processed: 1 succeeded; 0 failed.');
    const object = await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => o?.status?.['create_fn/item2'] !== undefined,
    );
    expect(object?.status).toMatchObject({
      'create_fn/item1': { item: 'item1' },
      'create_fn/item2': { item: 'item2' },
    });
    expect(run.lines('info')).toEqual(
      expect.arrayContaining([
        '[default/kopf-example-1] === Handling creation for item1. ===',
        '[default/kopf-example-1] === Handling creation for item2. ===',
      ]),
    );
  });
});
