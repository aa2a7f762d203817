import { type Body, on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';

const CRD = new URL('../../../../examples/crd.yaml', import.meta.url).pathname;
const OBJ = new URL('../../../../examples/obj.yaml', import.meta.url).pathname;
const address = { resource: 'kopfexamples', name: 'kopf-example-1' };

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('the simplest operator of the talk', () => {
  it('stores the create handler result in status and posts an Event', async () => {
    const registry = new Registry();
    const seen: unknown[] = [];
    on.create('kopfexamples', { registry }, function create_fn({ spec, logger }) {
      logger.info(`And here we are! Creating: ${JSON.stringify(spec)}`);
      seen.push(spec);
      return { message: 'hello world' };
    });
    run = await runOperator({ registry, apply: CRD, settings: { posting: { level: 'info' } } });
    await run.cluster.apply(OBJ);

    const object = await run.cluster.waitFor<Body>(address, (o) => o?.status?.create_fn !== undefined);
    expect(object?.status?.create_fn).toEqual({ message: 'hello world' });
    expect(seen).toEqual([{ duration: '1m', field: 'value', items: ['item1', 'item2'] }]);
    await run.waitForLog("[default/kopf-example-1] Handler 'create_fn' succeeded.");
    await run.waitForLog('[default/kopf-example-1] Creation is processed: 1 succeeded; 0 failed.');

    const events = await pollEvents(run);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'Normal',
        reason: 'Success',
        message: "Handler 'create_fn' succeeded.",
      }),
    );
  });
});

async function pollEvents(run: OperatorRun): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    const events = await run.cluster.events(address);
    if (events.length > 0) return events as Record<string, unknown>[];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [];
}
