import { FakeClock } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { Throttler, type ThrottlingLogger } from './throttling.js';

function logger(): ThrottlingLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), error: (m) => lines.push(`error: ${m}`) };
}

describe('Throttler', () => {
  it('runs work normally while it succeeds', async () => {
    const clock = new FakeClock(0);
    const throttler = new Throttler();
    let runs = 0;
    const ok = await throttler.run(async () => void runs++, { clock, delays: [1], logger: logger() });
    expect([ok, runs, throttler.active]).toEqual([true, 1, false]);
  });

  it('sleeps the next delay after each failure and recovers after a success', async () => {
    const clock = new FakeClock(0);
    const log = logger();
    const throttler = new Throttler();
    const fail = async (): Promise<void> => {
      throw new Error('API is down');
    };
    const first = throttler.run(fail, { clock, delays: [1, 2], logger: log });
    await clock.advance(1000);
    expect(await first).toBe(false);
    const second = throttler.run(fail, { clock, delays: [1, 2], logger: log });
    await clock.advance(2000);
    await second;
    const third = throttler.run(fail, { clock, delays: [1, 2], logger: log });
    await clock.advance(2000);
    await third;
    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual([
      'error: Throttling for 1 seconds due to an unexpected error: Error: API is down',
      'error: Throttling for 2 seconds due to an unexpected error: Error: API is down',
      'error: Throttling for 2 seconds due to an unexpected error: Error: API is down',
    ]);
    expect(await throttler.run(async () => {}, { clock, delays: [1, 2], logger: log })).toBe(true);
  });

  it('skips work when woken before the delay ends, and runs it after', async () => {
    const clock = new FakeClock(0);
    const throttler = new Throttler();
    const wake = new AbortController();
    const log = logger();
    void throttler.run(
      async () => {
        throw new Error('x');
      },
      { clock, delays: [10], logger: log, wakeup: wake.signal },
    );
    await clock.advance(0);
    wake.abort();
    await clock.advance(0);
    let ran = false;
    const markRan = async (): Promise<void> => {
      ran = true;
    };
    const skipped = await throttler.run(markRan, {
      clock,
      delays: [10],
      logger: log,
      wakeup: AbortSignal.abort(),
    });
    expect([skipped, ran, throttler.active]).toEqual([false, false, true]);
    const later = throttler.run(markRan, { clock, delays: [10], logger: log });
    await clock.advance(10_000);
    expect([await later, ran]).toEqual([true, true]);
    expect(log.lines).toContain('info: Throttling is over. Switching back to normal operations.');
  });
});
