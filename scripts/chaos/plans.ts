/**
 * The plan of a chaos run, made from the seed alone before anything starts: when
 * each object is created (with `spec.value` 1), updated (2, 3, …) and perhaps
 * deleted, and when the operator is killed, the watch streams cut and the history
 * compacted. Times are milliseconds from the start of the run's window. Faults are
 * spread over the window (one per equal slot, at a random moment within it), so
 * that they hit the creation burst, the updates and the deletions alike.
 * Compactions keep away from the kills and cut the streams cleanly: a watch that
 * resumes at once (not after a kill's restart, which lists afresh, nor after an
 * error's back-off that a kill may cut short) is what meets the 410 Gone.
 */
import { objectName } from './chaos-objects.js';
import type { Randomness } from './randomness.js';
import type { ChaosSize } from './sizes.js';

/** One object's life in the plan. */
export interface ObjectPlan {
  readonly index: number;
  readonly name: string;
  readonly createAt: number;
  /** In order; values grow by one from 2. */
  readonly updates: readonly { readonly at: number; readonly value: number }[];
  /** When to delete it (once it carries the finalizer); `undefined`: it stays. */
  readonly deleteAt: number | undefined;
}

/** What a fault does. */
export type FaultKind = 'kill' | 'drop' | 'compact';

/** One fault at one moment. */
export interface FaultStep {
  readonly at: number;
  readonly kind: FaultKind;
  /** For cuts: reset the TCP connections instead of ending the responses. */
  readonly abrupt: boolean;
}

/** The whole run. */
export interface ChaosPlan {
  readonly windowMs: number;
  readonly objects: readonly ObjectPlan[];
  /** By time. */
  readonly faults: readonly FaultStep[];
}

/** Plans a run of `size` from `random`. */
export function planChaos(random: Randomness, size: ChaosSize): ChaosPlan {
  const windowMs = size.windowSeconds * 1000;
  const objects = Array.from({ length: size.objects }, (_, index) =>
    planObject(random, size, index, windowMs),
  );
  const kills = spread(random, 'kill', size.kills, windowMs * 0.1, windowMs * 0.9);
  const compactions = spread(random, 'compact', size.compactions, windowMs * 0.1, windowMs * 0.9, kills);
  const faults = [
    ...kills,
    ...spread(random, 'drop', size.drops, windowMs * 0.05, windowMs * 0.95),
    ...compactions.map((step) => ({ ...step, abrupt: false })),
  ].sort((a, b) => a.at - b.at);
  return { windowMs, objects, faults };
}

function planObject(random: Randomness, size: ChaosSize, index: number, windowMs: number): ObjectPlan {
  const createAt = Math.round(random.between(0, windowMs * 0.5, 'create', index));
  const count = random.integer(0, size.maxUpdates, 'updates', index);
  const times = Array.from({ length: count }, (_, n) =>
    Math.round(random.between(createAt + 1, windowMs * 0.85, 'update', index, n)),
  ).sort((a, b) => a - b);
  const updates = times.map((at, n) => ({ at, value: n + 2 }));
  const last = times.at(-1) ?? createAt;
  const deleted = random.chance(size.deleteRatio, 'delete', index);
  const deleteAt = deleted
    ? Math.round(random.between(last + 1, windowMs * 0.9, 'delete-at', index))
    : undefined;
  return { index, name: objectName(index), createAt, updates, deleteAt };
}

/** How far a compaction keeps from a kill: 1 s before it, 3 s after it (the restart). */
const KILL_CLEARANCE = { before: 1000, after: 3000 } as const;

/** Tries for a moment in a slot that keeps clear of the kills. */
const TRIES = 20;

function spread(
  random: Randomness,
  kind: FaultKind,
  count: number,
  from: number,
  to: number,
  avoid: readonly FaultStep[] = [],
): FaultStep[] {
  const slot = (to - from) / Math.max(1, count);
  return Array.from({ length: count }, (_, n) => {
    const moment = (attempt: number): number =>
      Math.round(from + slot * n + random.between(0, slot, kind, n, ...(attempt ? [attempt] : [])));
    let at = moment(0);
    for (let attempt = 1; attempt < TRIES && !clearOf(at, avoid); attempt++) at = moment(attempt);
    return { at, kind, abrupt: random.chance(0.5, kind, 'abrupt', n) };
  });
}

/** Is `at` clear of every step of `avoid` (kills)? */
function clearOf(at: number, avoid: readonly FaultStep[]): boolean {
  return avoid.every((step) => at < step.at - KILL_CLEARANCE.before || at > step.at + KILL_CLEARANCE.after);
}

/** The value an object's spec ends with. */
export function finalValue(object: ObjectPlan): number {
  return object.updates.at(-1)?.value ?? 1;
}
