import { describe, expect, it } from 'vitest';
import { epochMs, latenciesBetween, percentile, summarize } from './latencies.js';

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with p% of the sample at or below it', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN for an empty sample', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts the sample first', () => {
    expect(summarize([30, 10, 20, 40])).toEqual({ count: 4, p50: 20, p99: 40, max: 40 });
  });
});

describe('latenciesBetween', () => {
  it('pairs timestamps by index and leaves out those that never arrived', () => {
    const created = new Map([
      [1, 100],
      [2, 200],
      [3, 300],
    ]);
    const stored = new Map([
      [1, 150],
      [3, 390],
    ]);
    expect(latenciesBetween(created, stored)).toEqual([50, 90]);
  });
});

describe('epochMs', () => {
  it('tells the same time as Date.now(), never going backwards', () => {
    const before = Date.now();
    const first = epochMs();
    const second = epochMs();
    const after = Date.now();
    expect(first).toBeGreaterThanOrEqual(before - 5);
    expect(second).toBeGreaterThanOrEqual(first);
    expect(second).toBeLessThanOrEqual(after + 5);
  });
});
