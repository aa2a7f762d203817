import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('08-events', () => {
  it('sees the events while the failing handler is ignored', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Event received: ADDED kopf-example-1');
    await run.cluster.delete(EXAMPLE);
    await run.waitForLog('Event received: DELETED kopf-example-1');
    expect(run.lines('error')).toContain(
      "[default/kopf-example-1] Handler 'event_fn_with_error' failed with an exception and will ignore it: Oops!",
    );
  });
});
