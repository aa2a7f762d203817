import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('14-daemons', () => {
  it('runs a daemon per object and stops it before the object is deleted', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => Number((o?.status?.monitor as { ticks?: number })?.ticks) >= 3,
    );
    await run.cluster.delete(EXAMPLE);
    await run.cluster.waitFor(EXAMPLE, (o) => o === undefined);
    expect(run.lines('info').some((line) => line.includes('The monitor is stopping: resource-deleted'))).toBe(
      true,
    );
  });
});
