import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('wakes sleepers in deadline order as time advances', async () => {
    const clock = new FakeClock(0);
    const woken: string[] = [];
    void clock.sleep(300).then(() => woken.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => woken.push(`a@${clock.now()}`));
    await clock.advance(200);
    expect(woken).toEqual(['a@100']);
    await clock.advance(200);
    expect([woken, clock.now()]).toEqual([['a@100', 'b@300'], 400]);
  });

  it('runs chained sleeps that fall inside the advanced window', async () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(25);
    expect(ticks).toEqual([10, 20]);
  });

  it('resolves false when the signal aborts', async () => {
    const clock = new FakeClock(0);
    const controller = new AbortController();
    const slept = clock.sleep(1000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBe(false);
    expect(clock.pending).toBe(0);
  });
});
