/**
 * The diff between two essences, in Kopf's shape and by Kopf's algorithm
 * (`kopf/_cogs/structs/diffs.py`), with Kopf's scopes: which side's keys count.
 * The reactor computes the diff of every change (`diffbase.ts`); the recursive walk
 * and Python's equality live in `@kopf/core` (`diffValues`, `pythonEquals`), where
 * `reduceDiff` re-diffs field values by the same walk, so that the diff handlers
 * receive and the one field handlers receive can never disagree.
 */
import type { Diff, DiffSides, FieldPath } from '@kopf/core';
import { diffValues } from '@kopf/core';

/** Python's equality on parsed JSON, from `@kopf/core`, for the reactor modules that import it from here. */
export { pythonEquals } from '@kopf/core';

/**
 * Which side's keys count: `full` (both, the default), `left` (only keys of the
 * old object: additions are ignored), `right` (only keys of the new object:
 * removals are ignored).
 */
export type DiffScope = 'full' | 'left' | 'right';

/** Options of {@link diff}. */
export interface DiffOptions {
  /** The path the compared values live at; prefixes every item's `field`. */
  readonly path?: FieldPath;
  readonly scope?: DiffScope;
}

/** No changes. */
export const EMPTY_DIFF: Diff = Object.freeze([]);

const SCOPE_SIDES: Readonly<Record<DiffScope, DiffSides>> = Object.freeze({
  full: Object.freeze({ added: true, removed: true }),
  left: Object.freeze({ added: false, removed: true }),
  right: Object.freeze({ added: true, removed: false }),
});

/**
 * What changed from `old` to `new`: additions, then removals, then changes, at
 * every level (see `diffValues` in `@kopf/core`). Items and the list are frozen.
 *
 * @example
 * diff({ spec: { size: '1G', items: [1] } }, { spec: { size: '2G', items: [1, 2] }, extra: 1 })
 * // [ { operation: 'add', field: ['extra'], old: undefined, new: 1 },
 * //   { operation: 'change', field: ['spec', 'size'], old: '1G', new: '2G' },
 * //   { operation: 'change', field: ['spec', 'items'], old: [1], new: [1, 2] } ]
 */
export function diff(old: unknown, new_: unknown, options: DiffOptions = {}): Diff {
  return diffValues(old, new_, options.path ?? [], SCOPE_SIDES[options.scope ?? 'full']);
}
