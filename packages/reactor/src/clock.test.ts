import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';

describe('systemClock.sleep', () => {
  it('resolves true when the time has passed', async () => {
    await expect(systemClock.sleep(1)).resolves.toBe(true);
  });

  it('resolves false at once when aborted', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBe(false);
  });

  it('resolves false for an already aborted signal', async () => {
    await expect(systemClock.sleep(60_000, AbortSignal.abort())).resolves.toBe(false);
  });
});
