import { FakeClock } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { DaemonStopper } from './stoppers.js';

describe('DaemonStopper', () => {
  it('aborts its signal once, with the first reason as the why', () => {
    const clock = new FakeClock();
    const stopper = new DaemonStopper(clock);
    expect(stopper.aborted).toBe(false);
    expect(stopper.reason).toBeUndefined();
    stopper.set('resource-deleted');
    stopper.set('daemon-signalled');
    expect(stopper.aborted).toBe(true);
    expect(stopper.signal.aborted).toBe(true);
    expect(stopper.signal.reason).toBe('resource-deleted');
    expect(stopper.reason).toBe('resource-deleted');
    expect(stopper.has('daemon-signalled')).toBe(true);
    expect(stopper.has('daemon-cancelled')).toBe(false);
    expect(stopper.since).toBe(clock.now());
  });

  it('wait(seconds) sleeps on the clock and ends early when stopped', async () => {
    const clock = new FakeClock();
    const stopper = new DaemonStopper(clock);
    const full = stopper.wait(10);
    await clock.advance(10_000);
    expect(await full).toBe(false);
    const early = stopper.wait(10);
    await clock.advance(1_000);
    stopper.set('operator-exiting');
    expect(await early).toBe(true);
    expect(await stopper.wait()).toBe(true);
  });

  it('wait() without seconds resolves only when stopped', async () => {
    const stopper = new DaemonStopper(new FakeClock());
    let resolved = false;
    const waiting = stopper.wait().then((value) => {
      resolved = true;
      return value;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
    stopper.set('filters-mismatch');
    expect(await waiting).toBe(true);
  });
});
