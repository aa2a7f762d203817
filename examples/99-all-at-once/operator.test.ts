import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('99-all-at-once', () => {
  it('runs every kind of handler through an object’s life', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    const created = await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => o?.status?.create_2 !== undefined && o?.status?.children !== undefined,
    );
    expect(created?.status).toMatchObject({ create_1: { field: 'value' }, create_2: { retries: 1 } });
    await run.cluster.patch(EXAMPLE, { spec: { field: 'changed' } });
    await run.waitForLog('Field changed: value -> changed');
    await run.cluster.delete(EXAMPLE);
    await run.cluster.waitFor(EXAMPLE, (o) => o === undefined);
    await run.stop();
    const lines = run.lines('info').map((line) => line.replace('[default/kopf-example-1] ', ''));
    expect(lines).toEqual(
      expect.arrayContaining(['Starting the operator.', 'Deleted: the children go with it.', 'Cleaning up.']),
    );
    run = undefined;
  });
});
