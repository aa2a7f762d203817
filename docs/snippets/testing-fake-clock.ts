import { type Body, on, Registry, TemporaryError } from '@kopf/core';
import { FakeClock, runOperator } from '@kopf/testing';
import { expect, it } from 'vitest';

it('retries after the delay, without waiting ten minutes', async () => {
  const registry = new Registry(); // handlers of this test only
  let attempts = 0;
  on.create('kopfexamples', { registry }, function create_fn() {
    attempts += 1;
    if (attempts === 1) throw new TemporaryError('not yet', { delay: 600 });
    return { done: true };
  });
  const clock = new FakeClock(); // time stands still until the test moves it
  const run = await runOperator({ registry, clock, apply: 'crd.yaml' });
  try {
    await run.cluster.apply({ apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name: 'x' } });
    await run.waitForLog("Handler 'create_fn' failed temporarily: not yet");
    await clock.advance(600_000); // ten minutes pass, in a few milliseconds
    const object = await run.cluster.waitFor<Body>(
      { resource: 'kopfexamples', name: 'x' },
      (o) => o?.status?.create_fn !== undefined,
    );
    expect(object?.status?.create_fn).toEqual({ done: true });
    expect(attempts).toBe(2);
  } finally {
    await run.stop();
  }
});
