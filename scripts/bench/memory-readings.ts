/**
 * Resource figures of a benchmark actor, read inside its own process: the CPU time
 * it has used, the peak resident set size over its whole life (what a pod's memory
 * limit is measured against), the current RSS, and the V8 heap in use after full
 * garbage collections (needs `--expose-gc`, which `forkChild()` passes).
 */

/** One reading, in bytes (and seconds of CPU). */
export interface MemoryReading {
  /** User + system CPU time since the process started. */
  readonly cpuSeconds: number;
  /** The highest RSS the process ever had (`getrusage` maxrss). */
  readonly peakRss: number;
  readonly rss: number;
  /** V8 heap in use after two full GCs; `undefined` without `--expose-gc`. */
  readonly heapUsedAfterGc: number | undefined;
  readonly external: number;
}

/** Collects garbage twice (when possible), then reads the process's memory. */
export function memoryReading(): MemoryReading {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRss: process.resourceUsage().maxRSS * 1024,
    rss: usage.rss,
    heapUsedAfterGc: gc ? usage.heapUsed : undefined,
    external: usage.external,
  };
}
