/**
 * The tables of the operator benchmarks: plain text, one row per measurement, the
 * kopf-ts figure next to its baseline and their ratio.
 */
import type { LatencySummary } from '../../../scripts/bench/latencies.js';
import type { FootprintResult } from './footprint.js';
import type { TargetOutcome } from './targets.js';
import type { BurstResult, IdleResult } from './throughput.js';

const MIB = 1024 * 1024;

function table(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('   ');
  console.log(`\n${title}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

const fixed = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const latency = (summary: LatencySummary): string => `${fixed(summary.p50, 1)} / ${fixed(summary.p99, 1)}`;

/** Pairs kopf-ts with the baseline for the same object count. */
function pairs(bursts: readonly BurstResult[]): { base: BurstResult; ours: BurstResult }[] {
  const result: { base: BurstResult; ours: BurstResult }[] = [];
  for (const ours of bursts.filter((burst) => burst.actor === 'kopf-ts')) {
    const base = bursts.find((burst) => burst.actor === 'client-node' && burst.objects === ours.objects);
    if (base) result.push({ base, ours });
  }
  return result;
}

/** Throughput of each burst, kopf-ts against the baseline. */
export function printBursts(bursts: readonly BurstResult[]): void {
  table(
    'Throughput: N objects created at once until each carries status.create_fn (kopf-ts: and its diff-base)',
    [
      'objects',
      'client-node obj/s',
      'kopf-ts obj/s',
      'kopf-ts time / client-node time',
      'CPU ms/object client-node (server)',
      'CPU ms/object kopf-ts (server)',
      'peak RSS MiB client-node / kopf-ts',
    ],
    pairs(bursts).map(({ base, ours }) => [
      String(ours.objects),
      `${fixed(base.objectsPerSecond)} (${fixed(base.seconds, 1)} s)`,
      `${fixed(ours.objectsPerSecond)} (${fixed(ours.seconds, 1)} s)`,
      `${fixed(ours.seconds / base.seconds, 2)}×`,
      cpuPerObject(base),
      cpuPerObject(ours),
      `${fixed(base.peakRss / MIB)} / ${fixed(ours.peakRss / MIB)}`,
    ]),
  );
  for (const burst of bursts.filter((run) => run.errorCount > 0)) {
    console.log(
      `note: ${burst.actor}, burst of ${burst.objects}: ${burst.errorCount} failed requests (retried), e.g. ${burst.errors[0]}`,
    );
  }
}

function cpuPerObject(run: BurstResult): string {
  const perObject = (seconds: number): string => fixed((seconds * 1000) / run.objects, 2);
  return `${perObject(run.cpuSeconds.actor)} (${perObject(run.cpuSeconds.server)})`;
}

/** Latencies from creation (or update) to the handler's start and to the object being done. */
export function printIdle(idle: readonly IdleResult[], bursts: readonly BurstResult[]): void {
  const rows = [
    ...idle.map((run) => [
      `idle ${run.cause === 'update' ? 'updates' : 'creations'} (${run.objects} one by one), ${run.actor}`,
      latency(run.toHandlerStart),
      latency(run.toResult),
    ]),
    ...bursts.map((run) => [
      `burst of ${run.objects}, ${run.actor}`,
      latency(run.toHandlerStart),
      latency(run.toResult),
    ]),
  ];
  table('Latency from creation (or update), ms (p50 / p99)', ['case', 'to handler start', 'to done'], rows);
}

/** API calls per handled object, by verb and resource, in the largest burst. */
export function printCalls(bursts: readonly BurstResult[]): void {
  const largest = pairs(bursts).at(-1);
  if (!largest) return;
  const keys = [
    ...new Set([...Object.keys(largest.base.callsPerObject), ...Object.keys(largest.ours.callsPerObject)]),
  ].sort();
  table(
    `API calls per handled object (burst of ${largest.ours.objects}, from the fake server's counters)`,
    ['request', 'client-node', 'kopf-ts'],
    keys.map((key) => [
      key,
      fixed(largest.base.callsPerObject[key] ?? 0, 3),
      fixed(largest.ours.callsPerObject[key] ?? 0, 3),
    ]),
  );
}

/** Bytes per object beyond the 0-object run. */
export interface PerObjectFigures {
  readonly objects: number;
  readonly peakRssBytes: number;
  readonly heapBytes: number;
}

/** Start-up over the existing objects, with the pagination check. */
export interface StartupFigures {
  readonly objects: number;
  readonly secondsToListed: number;
  readonly secondsToResumed: number;
  readonly listPages: number;
  readonly paginated: boolean;
  readonly patches: number;
  /** client-node merely listing the same objects: the floor. */
  readonly clientNodeListSeconds: number | undefined;
}

const heapOf = (run: FootprintResult): number => run.steady.heapUsedAfterGc ?? Number.NaN;

/** Memory and start-up; returns the derived per-object and start-up figures. */
export function printFootprints(
  runs: readonly FootprintResult[],
  startupObjects: number,
  objectJsonBytes: number,
): { perObject: PerObjectFigures[]; startup: StartupFigures | undefined } {
  const empty = runs.find((run) => run.objects === 0);
  const perObject = runs
    .filter((run) => run.objects > 0 && empty)
    .map((run) => ({
      objects: run.objects,
      peakRssBytes: (run.peakRss - (empty?.peakRss ?? 0)) / run.objects,
      heapBytes: (heapOf(run) - (empty ? heapOf(empty) : 0)) / run.objects,
    }));
  table(
    `Memory of the operator process (objects pre-created and handled; one object is ${objectJsonBytes} bytes of JSON)`,
    [
      'watched objects',
      'peak RSS MiB',
      'heap after GC MiB',
      'RSS bytes/object',
      'heap bytes/object',
      'listed s',
      'resumed s',
    ],
    runs.map((run) => {
      const extra = perObject.find((figures) => figures.objects === run.objects);
      return [
        String(run.objects),
        fixed(run.peakRss / MIB, 1),
        fixed(heapOf(run) / MIB, 1),
        extra ? fixed(extra.peakRssBytes) : '(baseline)',
        extra ? fixed(extra.heapBytes) : '(baseline)',
        fixed(run.secondsToListed, 2),
        fixed(run.secondsToResumed, 2),
      ];
    }),
  );
  const run = runs.find((candidate) => candidate.objects === startupObjects);
  if (!run) return { perObject, startup: undefined };
  const startup = {
    objects: run.objects,
    secondsToListed: run.secondsToListed,
    secondsToResumed: run.secondsToResumed,
    listPages: run.listPages,
    paginated: run.listPages > 1,
    patches: run.patches,
    clientNodeListSeconds: run.clientNodeList?.seconds,
  };
  console.log(
    `\nStart-up over ${run.objects} existing objects: listed in ${fixed(run.secondsToListed, 2)} s, all resumed in ` +
      `${fixed(run.secondsToResumed, 2)} s; ${run.listPages} list pages ` +
      `(${startup.paginated ? 'paginated: OK' : 'NOT PAGINATED: CHECK FAILED'}); ${run.patches} PATCHes. ` +
      `client-node lists the same objects (${run.clientNodeList?.pages ?? '?'} pages) in ` +
      `${fixed(run.clientNodeList?.seconds ?? Number.NaN, 2)} s: kopf-ts takes ` +
      `${fixed(run.secondsToResumed / (run.clientNodeList?.seconds ?? Number.NaN), 1)}× as long.`,
  );
  return { perObject, startup };
}

/** The targets, measured value against limit. */
export function printTargets(outcomes: readonly TargetOutcome[]): void {
  const digits = (value: number): number => (Math.abs(value) >= 100 ? 0 : 2);
  table(
    'Targets (see README, "Performance"): a miss is a finding, not a failure',
    ['target', 'measured', 'limit', 'met'],
    outcomes.map((outcome) => [
      outcome.name,
      `${fixed(outcome.measured, digits(outcome.measured))} ${outcome.unit}`.trim(),
      `≤ ${outcome.limit} ${outcome.unit}`.trim(),
      outcome.met ? 'yes' : 'NO',
    ]),
  );
}
