import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ERROR_BACKOFFS,
  exponentialDelay,
  parseRetryAfter,
  requestRetryDelay,
  sleep,
} from './delays.js';

describe('requestRetryDelay', () => {
  it("follows Kopf's backoffs and stops after the last one", () => {
    const delays = [...Array(10).keys()].map((retry) => requestRetryDelay(DEFAULT_ERROR_BACKOFFS, retry));
    expect(delays).toEqual([1, 1, 2, 3, 5, 8, 13, 21, undefined, undefined]);
  });

  it('uses Retry-After as a floor, or as the delay when enforced', () => {
    expect(requestRetryDelay([1, 2], 0, 5)).toBe(5);
    expect(requestRetryDelay([1, 10], 1, 5)).toBe(10);
    expect(requestRetryDelay([1, 10], 1, 5, true)).toBe(5);
    expect(requestRetryDelay([1], 1, 5)).toBeUndefined();
  });
});

describe('exponentialDelay', () => {
  it('doubles per consecutive error within the jitter band and caps at max', () => {
    const low = (errors: number) => exponentialDelay(errors, { initial: 1, max: 8 }, undefined, () => 0);
    const high = (errors: number) => exponentialDelay(errors, { initial: 1, max: 8 }, undefined, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(low)).toEqual([0.5, 1, 2, 4, 4, 4]);
    expect([1, 2, 3, 4, 5, 6].map(high)).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('never goes below Retry-After', () => {
    expect(exponentialDelay(1, { initial: 1 }, 7, () => 0.5)).toBe(7);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('rejects with the reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = sleep(3600, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });

  it('resolves after the delay', async () => {
    await expect(sleep(0.001)).resolves.toBeUndefined();
  });
});
