import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('15-timers', () => {
  it('runs the interval timer repeatedly and the idle one once the object is quiet', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    const first = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.every_interval !== undefined);
    const firstAt = (first?.status?.every_interval as { at?: string } | undefined)?.at;
    await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => (o?.status?.every_interval as { at?: string })?.at !== firstAt,
    );
    const quiet = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.when_idle !== undefined);
    expect(quiet?.status?.when_idle).toEqual({ quiet: true });
    expect((quiet?.status?.every_interval as { seen?: string })?.seen).toBe('value');
  });
});
