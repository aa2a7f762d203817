import { type Body, on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ, waitGone } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('timers against the fake API server', () => {
  it('fire every interval (never more often), store results in status, and stop on deletion', async () => {
    const registry = new Registry();
    const ticks: number[] = [];
    on.timer('kopfexamples', { registry, interval: 0.2 }, function tick() {
      ticks.push(Date.now());
      return { count: ticks.length };
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await eventually(() => ticks.length >= 6, 'six ticks');
    const gaps = ticks.slice(1).map((at, i) => at - (ticks[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(190);
    const window = (ticks[5] ?? 0) - (ticks[0] ?? 0);
    expect(window).toBeGreaterThanOrEqual(5 * 190);
    const object = await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => ((o?.status?.tick as { count?: number } | undefined)?.count ?? 0) >= 2,
    );
    expect(object?.metadata?.finalizers).toContain('kopf.zalando.org/KopfFinalizerMarker');

    await run.cluster.delete(EXAMPLE);
    await waitGone(run);
    const after = ticks.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ticks.length).toBe(after);
  });

  it('with idle, wait until the object has been unchanged that long', async () => {
    const registry = new Registry();
    const ticks: number[] = [];
    on.timer('kopfexamples', { registry, idle: 1, interval: 0.1 }, function quiet() {
      ticks.push(Date.now());
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    let lastChange = Date.now();
    for (let i = 0; i < 8; i++) {
      await run.cluster.patch(EXAMPLE, { spec: { counter: i } });
      lastChange = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(ticks).toEqual([]);
    await eventually(() => ticks.length > 0, 'the first idle tick', 10);
    expect((ticks[0] ?? 0) - lastChange).toBeGreaterThanOrEqual(950);
  });

  it('post Events for failures but not for successes', async () => {
    const registry = new Registry();
    let calls = 0;
    on.timer('kopfexamples', { registry, interval: 0.1, backoff: 0.1 }, function flaky() {
      calls += 1;
      if (calls === 2) throw new Error('flaky timer');
    });
    run = await runOperator({ registry, apply: CRD, settings: { posting: { level: 'info' } } });
    await run.cluster.apply(OBJ);
    await eventually(() => calls >= 4, 'four timer calls');
    const active = run;
    await eventually(async () => (await active.cluster.events(EXAMPLE)).length > 0, 'an Event');
    const events = (await run.cluster.events(EXAMPLE)) as { reason?: string; message?: string }[];
    expect(events.some((e) => e.message?.includes("Timer 'flaky' failed with an exception"))).toBe(true);
    expect(events.some((e) => e.message?.includes("Timer 'flaky' succeeded."))).toBe(false);
  });
});
