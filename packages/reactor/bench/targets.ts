/**
 * What the operator benchmarks should show: one target per figure, the same as in
 * the README's "Performance" section. The suite prints each with its measured value
 * and whether it is met; a missed target is a finding to act on, never a failure to
 * run (the benchmark's exit code does not depend on it).
 */
import type { FootprintResult } from './footprint.js';
import type { BurstResult, IdleResult } from './throughput.js';

/** Everything the suite measured. */
export interface SuiteFigures {
  readonly bursts: readonly BurstResult[];
  readonly idle: readonly IdleResult[];
  readonly footprints: readonly FootprintResult[];
  /** The size of the start-up run. */
  readonly startupObjects: number;
}

/** One target and how it came out. */
export interface TargetOutcome {
  readonly name: string;
  readonly measured: number;
  /** The measured value must be at most this. */
  readonly limit: number;
  readonly unit: string;
  readonly met: boolean;
}

const MIB = 1024 * 1024;

function burstOf(figures: SuiteFigures, actor: string, objects: number): BurstResult | undefined {
  return figures.bursts.find((burst) => burst.actor === actor && burst.objects === objects);
}

/** Each target that the figures allow to judge. */
export function judgeTargets(figures: SuiteFigures): TargetOutcome[] {
  const rows: [string, number | undefined, number, string][] = [];
  for (const objects of new Set(figures.bursts.map((burst) => burst.objects))) {
    const ours = burstOf(figures, 'kopf-ts', objects);
    const base = burstOf(figures, 'client-node', objects);
    if (ours && base) {
      rows.push([
        `burst of ${objects}: kopf-ts time / client-node time`,
        ours.seconds / base.seconds,
        1,
        '×',
      ]);
    }
  }
  const largest = Math.max(...figures.bursts.map((burst) => burst.objects));
  const ours = burstOf(figures, 'kopf-ts', largest);
  const base = burstOf(figures, 'client-node', largest);
  if (ours && base) {
    rows.push([
      `burst of ${largest}: p99 to done, kopf-ts / client-node`,
      ours.toResult.p99 / base.toResult.p99,
      1,
      '×',
    ]);
    const cpu = (run: BurstResult): number => run.cpuSeconds.actor / run.objects;
    rows.push([`burst of ${largest}: CPU per object, kopf-ts / client-node`, cpu(ours) / cpu(base), 1, '×']);
    rows.push([
      `burst of ${largest}: p99 to handler start, kopf-ts / client-node`,
      ours.toHandlerStart.p99 / base.toHandlerStart.p99,
      1,
      '×',
    ]);
    rows.push([`peak RSS during the burst of ${largest}`, ours.peakRss / MIB, 1024, 'MiB']);
    const patches =
      (ours.callsPerObject['patch kopfexamples'] ?? 0) +
      (ours.callsPerObject['patch kopfexamples/status'] ?? 0);
    rows.push(['PATCHes per created object (Kopf 1.44: 2)', patches, 2, '']);
  }
  for (const cause of ['creation', 'update'] as const) {
    const idle = figures.idle.find((run) => run.actor === 'kopf-ts' && run.cause === cause);
    rows.push([`idle: p99 ${cause} → handler start`, idle?.toHandlerStart.p99, 20, 'ms']);
    rows.push([`idle: p99 ${cause} → done`, idle?.toResult.p99, 50, 'ms']);
  }
  const empty = figures.footprints.find((run) => run.objects === 0);
  const biggest = figures.footprints.reduce<FootprintResult | undefined>(
    (best, run) => (run.objects > (best?.objects ?? 0) ? run : best),
    undefined,
  );
  if (empty && biggest) {
    const heap = (run: FootprintResult): number => run.steady.heapUsedAfterGc ?? Number.NaN;
    rows.push([
      `heap per watched object (${biggest.objects})`,
      (heap(biggest) - heap(empty)) / biggest.objects,
      1500,
      'B',
    ]);
    rows.push([`peak RSS with ${biggest.objects} objects`, biggest.peakRss / MIB, 1024, 'MiB']);
    if (biggest.objects !== figures.startupObjects) {
      rows.push([
        `start-up over ${biggest.objects}: ms per object to resumed`,
        (biggest.secondsToResumed * 1000) / biggest.objects,
        0.5,
        'ms',
      ]);
    }
  }
  const startup = figures.footprints.find((run) => run.objects === figures.startupObjects);
  if (startup) {
    rows.push([`peak RSS with ${startup.objects} objects`, startup.peakRss / MIB, 512, 'MiB']);
    rows.push([
      `start-up over ${startup.objects}: ms per object to resumed`,
      (startup.secondsToResumed * 1000) / startup.objects,
      0.5,
      'ms',
    ]);
    const floor = startup.clientNodeList?.seconds;
    if (floor)
      rows.push(['start-up / client-node merely listing', startup.secondsToResumed / floor, 10, '×']);
  }
  return rows
    .filter((row): row is [string, number, number, string] => row[1] !== undefined && Number.isFinite(row[1]))
    .map(([name, measured, limit, unit]) => ({ name, measured, limit, unit, met: measured <= limit }));
}
