import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('03-exceptions', () => {
  it('fails and retries each handler as its errors say', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Creation is processed: 1 succeeded; 3 failed.', 20);
    const object = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_temporary !== undefined);
    expect(object?.status?.create_temporary).toEqual({ message: 'Succeeded after 3 retries.' });
    expect(run.lines('error')).toEqual(
      expect.arrayContaining([
        "[default/kopf-example-1] Handler 'create_permanent' failed permanently: Fail once and for all.",
        "[default/kopf-example-1] Handler 'create_permanent_mode' failed with an exception and will stop now: Arbitrary error, failed at once.",
      ]),
    );
  });
});
