/**
 * The verdict of a chaos run, from what happened: the workload's outcome per
 * object, every handler attempt from the side stores, the operator processes'
 * lives (kills, exits, stderr), and the objects as the API server holds them at the
 * end. Pure: the same inputs give the same counts and violations.
 *
 * A success may repeat only in Kopf's at-least-once window: the process that ran
 * the earlier success was killed before it persisted it (the later attempt, in a
 * newer process, found nothing persisted on the server). Such repeats are counted
 * apart; any other repeat, and any attempt that started when the server already
 * held its success, is a violation.
 */
import type { KubernetesObject } from '@kopf/core';
import { handledValue, hasFinalizer } from './chaos-objects.js';
import type { ChaosHandlerId, HandlerRun, SideRecord } from './side-store.js';
import type { ObjectOutcome } from './workload.js';

/** The rules a run can break. */
export type ViolationRule =
  | 'state-not-handled'
  | 'creation-not-once'
  | 'ran-after-persisted'
  | 'repeated-without-kill'
  | 'object-left-behind'
  | 'finalizer-left-behind'
  | 'object-missing'
  | 'deletion-not-handled'
  | 'deletion-not-started'
  | 'result-lost'
  | 'crash'
  | 'operator-error'
  | 'stderr-output'
  | 'gone-not-seen';

/** One broken rule, about one object or process. */
export interface Violation {
  readonly rule: ViolationRule;
  /** The object or process (`operator #3, pid 1234`). */
  readonly subject: string;
  readonly detail: string;
}

/** A success repeated in the at-least-once window. */
export interface ExcusedRepeat {
  readonly object: string;
  readonly handler: ChaosHandlerId;
  /** The pid whose success was not persisted before it was killed. */
  readonly killedPid: number;
  /** ms between that success and the kill. */
  readonly killedAfter: number;
}

/** One operator process, as the verification needs it. */
export interface ProcessRecord {
  readonly index: number;
  readonly pid: number | undefined;
  readonly killedAt: number | undefined;
  readonly stoppedAt: number | undefined;
  readonly exit: { readonly code: number | null; readonly signal: string | null } | undefined;
  readonly startError: string | undefined;
  /** What it wrote to stderr. */
  readonly stderr: string;
}

/** Everything the verdict is made from. */
export interface ChaosEvidence {
  readonly outcomes: readonly ObjectOutcome[];
  readonly records: readonly SideRecord[];
  readonly processes: readonly ProcessRecord[];
  /** The chaos objects on the server at the end, by name. */
  readonly finalObjects: ReadonlyMap<string, KubernetesObject>;
  /** How often the watch history was compacted: each should have made a watch get 410 Gone. */
  readonly compactions: number;
}

/** The counts a run prints. */
export interface ChaosCounts {
  readonly objects: number;
  readonly deleted: number;
  readonly survivors: number;
  readonly attempts: number;
  readonly temporaryFailures: number;
  readonly successes: Readonly<Record<ChaosHandlerId, number>>;
  readonly excusedRepeats: readonly ExcusedRepeat[];
  readonly processes: number;
  /** The operators' watch restarts by reason (`expired`: 410 Gone, `closed`: a cut stream). */
  readonly watchRestarts: Readonly<Record<string, number>>;
}

/** The verdict. */
export interface ChaosVerdict {
  readonly counts: ChaosCounts;
  readonly violations: readonly Violation[];
}

const CREATION: readonly ChaosHandlerId[] = ['create_first', 'create_second'];
const HANDLERS: readonly ChaosHandlerId[] = ['create_first', 'create_second', 'update_fn', 'delete_fn'];

/** Judges a run. */
export function verifyChaos(evidence: ChaosEvidence): ChaosVerdict {
  const runs = evidence.records.filter((record): record is HandlerRun => record.kind === 'run');
  const byObject = groupBy(runs, (run) => run.object);
  const killedAt = new Map<number, number>();
  for (const process of evidence.processes) {
    if (process.pid !== undefined && process.killedAt !== undefined)
      killedAt.set(process.pid, process.killedAt);
  }
  const violations: Violation[] = [];
  const excusedRepeats: ExcusedRepeat[] = [];
  for (const outcome of evidence.outcomes) {
    const objectRuns = byObject.get(outcome.name) ?? [];
    const repeats = checkRepeats(outcome.name, objectRuns, killedAt, violations);
    excusedRepeats.push(...repeats);
    const object = evidence.finalObjects.get(outcome.name);
    if (outcome.deletionProblem) {
      violations.push({
        rule: 'deletion-not-started',
        subject: outcome.name,
        detail: outcome.deletionProblem,
      });
    }
    if (outcome.deleted) checkDeleted(outcome, object, objectRuns, repeats, violations);
    else checkSurvivor(outcome, object, objectRuns, repeats, violations);
  }
  violations.push(...checkProcesses(evidence.processes));
  for (const record of evidence.records) {
    if (record.kind !== 'operator-error') continue;
    violations.push({ rule: 'operator-error', subject: `pid ${record.pid}`, detail: record.message });
  }
  const watchRestarts: Record<string, number> = {};
  for (const record of evidence.records) {
    if (record.kind === 'watch-restart')
      watchRestarts[record.reason] = (watchRestarts[record.reason] ?? 0) + 1;
  }
  if (evidence.compactions > 0 && !watchRestarts.expired) {
    violations.push({
      rule: 'gone-not-seen',
      subject: 'the watch history',
      detail: `compacted ${evidence.compactions} times, but no watch of the operators got 410 Gone (the fault did not take effect)`,
    });
  }
  const successes = Object.fromEntries(
    HANDLERS.map((handler) => [
      handler,
      runs.filter((r) => r.handler === handler && r.outcome === 'success').length,
    ]),
  ) as Record<ChaosHandlerId, number>;
  const deleted = evidence.outcomes.filter((outcome) => outcome.deleted).length;
  const counts: ChaosCounts = {
    objects: evidence.outcomes.length,
    deleted,
    survivors: evidence.outcomes.length - deleted,
    attempts: runs.length,
    temporaryFailures: runs.filter((run) => run.outcome === 'temporary-failure').length,
    successes,
    excusedRepeats,
    processes: evidence.processes.length,
    watchRestarts,
  };
  return { counts, violations };
}

/**
 * Checks that no attempt started after its success was persisted, and that every
 * repeated success is explained by a kill; resolves to the excused repeats.
 */
function checkRepeats(
  name: string,
  runs: readonly HandlerRun[],
  killedAt: ReadonlyMap<number, number>,
  violations: Violation[],
): ExcusedRepeat[] {
  const excused: ExcusedRepeat[] = [];
  for (const run of runs) {
    if (!run.persistedBefore) continue;
    violations.push({
      rule: 'ran-after-persisted',
      subject: name,
      detail: `${run.handler} ran (value ${run.value}, retry ${run.retry}, pid ${run.pid}) although the server already held its success`,
    });
  }
  const successes = runs.filter((run) => run.outcome === 'success');
  for (const [, group] of groupBy(successes, (run) => stateKey(run))) {
    for (let i = 1; i < group.length; i++) {
      const earlier = group[i - 1] as HandlerRun;
      const later = group[i] as HandlerRun;
      if (later.persistedBefore) continue; // reported above
      const kill = killedAt.get(earlier.pid);
      if (later.pid !== earlier.pid && kill !== undefined && kill >= earlier.at && kill <= later.at) {
        excused.push({
          object: name,
          handler: later.handler,
          killedPid: earlier.pid,
          killedAfter: kill - earlier.at,
        });
        continue;
      }
      violations.push({
        rule: 'repeated-without-kill',
        subject: name,
        detail: `${later.handler} succeeded again (value ${later.value}, pid ${later.pid}) after its success in pid ${earlier.pid}, which was not killed in between`,
      });
    }
  }
  return excused;
}

/** The state a success is owed for: creation and deletion once per object, updates per value. */
function stateKey(run: HandlerRun): string {
  return run.handler === 'update_fn' ? `${run.handler}@${run.value}` : run.handler;
}

function creationSuccesses(
  runs: readonly HandlerRun[],
  repeats: readonly ExcusedRepeat[],
  handler: ChaosHandlerId,
): number {
  const all = runs.filter((run) => run.handler === handler && run.outcome === 'success').length;
  return all - repeats.filter((repeat) => repeat.handler === handler).length;
}

function checkSurvivor(
  outcome: ObjectOutcome,
  object: KubernetesObject | undefined,
  runs: readonly HandlerRun[],
  repeats: readonly ExcusedRepeat[],
  violations: Violation[],
): void {
  const subject = outcome.name;
  if (!object) {
    violations.push({
      rule: 'object-missing',
      subject,
      detail: 'it was never deleted but is not on the server',
    });
    return;
  }
  const handled = runs.some(
    (run) => run.outcome === 'success' && run.handler !== 'delete_fn' && run.value === outcome.finalValue,
  );
  if (!handled) {
    violations.push({
      rule: 'state-not-handled',
      subject,
      detail: `no creation or update handler succeeded for its final value ${outcome.finalValue}`,
    });
  }
  const stored = handledValue(object);
  if (stored !== outcome.finalValue) {
    violations.push({
      rule: 'state-not-handled',
      subject,
      detail: `its diff-base holds value ${stored ?? 'nothing'}, not its final value ${outcome.finalValue}`,
    });
  }
  for (const handler of CREATION) {
    const count = creationSuccesses(runs, repeats, handler);
    if (count !== 1) {
      violations.push({
        rule: 'creation-not-once',
        subject,
        detail: `${handler} succeeded ${count} times (not counting repeats after kills)`,
      });
    }
  }
  checkResults(subject, object, runs, violations);
}

/** Every handler's last success left its result in `status.<handler>`. */
function checkResults(
  subject: string,
  object: KubernetesObject,
  runs: readonly HandlerRun[],
  violations: Violation[],
): void {
  const status = (object.status ?? {}) as Record<string, { value?: unknown } | undefined>;
  for (const handler of ['create_first', 'create_second', 'update_fn'] as const) {
    const last = runs.filter((run) => run.handler === handler && run.outcome === 'success').at(-1);
    if (!last) continue;
    const stored = status[handler]?.value;
    if (stored !== last.value) {
      violations.push({
        rule: 'result-lost',
        subject,
        detail: `status.${handler}.value is ${stored ?? 'absent'}, but its last success returned ${last.value}`,
      });
    }
  }
}

function checkDeleted(
  outcome: ObjectOutcome,
  object: KubernetesObject | undefined,
  runs: readonly HandlerRun[],
  repeats: readonly ExcusedRepeat[],
  violations: Violation[],
): void {
  const subject = outcome.name;
  if (object) {
    const finalizer = hasFinalizer(object);
    violations.push({
      rule: finalizer ? 'finalizer-left-behind' : 'object-left-behind',
      subject,
      detail: finalizer ? 'deleted, but still held by the finalizer' : 'deleted, but still on the server',
    });
  }
  if (!runs.some((run) => run.handler === 'delete_fn' && run.outcome === 'success')) {
    violations.push({ rule: 'deletion-not-handled', subject, detail: 'delete_fn never succeeded' });
  }
  for (const handler of CREATION) {
    const count = creationSuccesses(runs, repeats, handler);
    if (count > 1) {
      violations.push({
        rule: 'creation-not-once',
        subject,
        detail: `${handler} succeeded ${count} times (deleted object)`,
      });
    }
  }
}

/** Crashes (exits nobody asked for), unclean stops, and anything on stderr. */
function checkProcesses(processes: readonly ProcessRecord[]): Violation[] {
  const violations: Violation[] = [];
  for (const process of processes) {
    const subject = `operator #${process.index}${process.pid ? `, pid ${process.pid}` : ''}`;
    const exit = process.exit;
    if (process.startError) {
      violations.push({ rule: 'crash', subject, detail: `did not start: ${process.startError}` });
    } else if (process.killedAt !== undefined) {
      if (exit && exit.signal !== 'SIGKILL') {
        violations.push({
          rule: 'crash',
          subject,
          detail: `exited with ${describeExit(exit)} before the kill`,
        });
      }
    } else if (process.stoppedAt !== undefined) {
      if (exit?.code !== 0) {
        violations.push({
          rule: 'crash',
          subject,
          detail: `stopping ended with ${exit ? describeExit(exit) : 'no exit'}`,
        });
      }
    } else if (exit) {
      violations.push({
        rule: 'crash',
        subject,
        detail: `exited with ${describeExit(exit)}, not killed or stopped`,
      });
    }
    if (process.stderr.trim() !== '') {
      const lines = process.stderr.trim().split('\n');
      violations.push({ rule: 'stderr-output', subject, detail: lines.slice(0, 5).join(' | ') });
    }
  }
  return violations;
}

function describeExit(exit: { readonly code: number | null; readonly signal: string | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}
