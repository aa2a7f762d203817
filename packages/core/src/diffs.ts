/**
 * The diff handlers receive: what changed between the last handled state of an
 * object and the current one, in Kopf's shape (a list of add/change/remove items
 * with field paths). The diff is computed by `@kopf/reactor`; this module declares
 * it and offers pure readers that field filters need.
 */

/** What happened to a field. */
export type DiffOperation = 'add' | 'change' | 'remove';

/** A path to a field, e.g. `['spec', 'field']`. */
export type FieldPath = readonly string[];

/** One change: `old` is `undefined` for `add`, `new` is `undefined` for `remove`. */
export interface DiffItem {
  readonly operation: DiffOperation;
  readonly field: FieldPath;
  readonly old: unknown;
  readonly new: unknown;
}

/** All changes, in a stable order. */
export type Diff = readonly DiffItem[];
