import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import './operator.js';

const CRD = new URL('./crd.yaml', import.meta.url).pathname;
const OBJ = new URL('./obj.yaml', import.meta.url).pathname;
const address = { resource: 'kopfexamples', name: 'kopf-example-1' };

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
  vi.restoreAllMocks();
});

describe('01-minimal', () => {
  it('prints the spec, stores the message in status.create_fn and posts the success Event', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);

    const object = await run.cluster.waitFor<Body>(address, (o) => o?.status?.create_fn !== undefined);
    expect(object?.status?.create_fn).toEqual({ message: 'hello world' });
    expect(printed).toHaveBeenCalledWith(
      'And here we are! Creating: {"duration":"1m","field":"value","items":["item1","item2"]}',
    );
    await run.waitForLog("[default/kopf-example-1] Handler 'create_fn' succeeded.");
    await run.waitForLog('[default/kopf-example-1] Creation is processed: 1 succeeded; 0 failed.');
    await expect
      .poll(() => run?.cluster.events(address), { timeout: 10_000 })
      .toContainEqual(
        expect.objectContaining({
          type: 'Normal',
          reason: 'Success',
          message: "Handler 'create_fn' succeeded.",
        }),
      );
  });
});
