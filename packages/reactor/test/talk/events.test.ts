import { on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ } from './support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('event handlers of the talk', () => {
  it('sees every watch event raw, and an error in one handler does not stop the other', async () => {
    const registry = new Registry();
    const received: string[] = [];
    on.event('kopfexamples', { registry }, function event_fn_with_error() {
      throw new Error('Oops!');
    });
    on.event('kopfexamples', { registry }, function normal_event_fn({ event, type }) {
      received.push(`${type}:${String(event.object.metadata?.name)}`);
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await eventually(() => received.includes('ADDED:kopf-example-1'), 'the ADDED event is seen');
    await run.cluster.patch(EXAMPLE, { spec: { field: 'changed' } });
    await eventually(() => received.includes('MODIFIED:kopf-example-1'), 'the MODIFIED event is seen');
    await run.cluster.delete(EXAMPLE);
    await eventually(() => received.includes('DELETED:kopf-example-1'), 'the DELETED event is seen');
    expect(run.lines('error')).toContain(
      "[default/kopf-example-1] Handler 'event_fn_with_error' failed with an exception and will ignore it: Oops!",
    );
    // Event handlers never add a finalizer or keep progress on the object.
    expect(received.filter((r) => r.startsWith('MODIFIED')).length).toBe(1);
  });
});
