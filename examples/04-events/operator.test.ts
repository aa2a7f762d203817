import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('04-events', () => {
  it('posts the Events the handler asks for', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Creation is processed: 1 succeeded; 0 failed.');
    let events: { type: unknown; reason: unknown; message: unknown }[] = [];
    for (let i = 0; i < 100 && events.length < 5; i++) {
      events = (await run.cluster.events(EXAMPLE)).map(({ type, reason, message }) => ({
        type,
        reason,
        message,
      }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'Normal', reason: 'SomeReason', message: 'Some message' },
        { type: 'Normal', reason: 'SomeReason', message: 'Some information' },
        { type: 'Warning', reason: 'SomeReason', message: 'Some warning' },
        { type: 'Error', reason: 'SomeReason', message: 'Handled: Something went wrong, but it is handled.' },
      ]),
    );
  });
});
