/**
 * Latency figures of the benchmarks: timestamps that compare across processes
 * (milliseconds since the epoch, with the sub-millisecond part of the monotonic
 * clock), and percentiles of the differences between two sets of timestamps.
 */

/** Now, in milliseconds since the epoch, with a fractional part; comparable across processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** p50/p99/max of a sample, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * The `p`-th percentile (0–100) by the nearest-rank method: the smallest value
 * with at least `p`% of the sample at or below it. `NaN` for an empty sample.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Summarizes a sample of latencies (any order). */
export function summarize(sample: readonly number[]): LatencySummary {
  const sorted = [...sample].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * `to[i] - from[i]` for every index present in both (objects that never got
 * there are left out; the summary's `count` shows how many made it).
 */
export function latenciesBetween(
  from: ReadonlyMap<number, number>,
  to: ReadonlyMap<number, number>,
): number[] {
  const latencies: number[] = [];
  for (const [index, start] of from) {
    const end = to.get(index);
    if (end !== undefined) latencies.push(end - start);
  }
  return latencies;
}
