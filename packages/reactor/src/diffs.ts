/**
 * The diff between two essences, in Kopf's shape and by Kopf's algorithm
 * (`kopf/_cogs/structs/diffs.py`): objects are compared key by key and recursed
 * into; arrays and scalars are compared whole, so one changed item is a `change`
 * of the whole array. `null` and absent are the same thing: a field going from
 * absent to a value is an `add`, the reverse a `remove`. Equality is Python's, as
 * Kopf compares JSON it parsed itself: `1` equals `1.0`, and `true` equals `1`.
 *
 * Items come in Kopf's grouping: additions, then removals, then changes inside
 * keys both sides have (Python orders keys within a group arbitrarily; here they
 * follow the objects' key order).
 */
import type { Diff, DiffItem, DiffOperation, FieldPath } from '@kopf/core';
import type { FieldSpec } from './field-paths.js';
import { isMapping, parseField, resolveField } from './field-paths.js';

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

type JsonRecord = Record<string, unknown>;

/** No changes. */
export const EMPTY_DIFF: Diff = Object.freeze([]);

/**
 * What changed from `old` to `new`.
 *
 * @example
 * diff({ spec: { size: '1G', items: [1] } }, { spec: { size: '2G', items: [1, 2] }, extra: 1 })
 * // [ { operation: 'add', field: ['extra'], old: undefined, new: 1 },
 * //   { operation: 'change', field: ['spec', 'size'], old: '1G', new: '2G' },
 * //   { operation: 'change', field: ['spec', 'items'], old: [1], new: [1, 2] } ]
 */
export function diff(old: unknown, new_: unknown, options: DiffOptions = {}): Diff {
  const items: DiffItem[] = [];
  collectDiff(old, new_, options.path ?? [], options.scope ?? 'full', items);
  return Object.freeze(items);
}

function collectDiff(a: unknown, b: unknown, path: FieldPath, scope: DiffScope, items: DiffItem[]): void {
  if (pythonEquals(a, b)) return;
  if (isAbsent(a)) items.push(item('add', path, undefined, b));
  else if (isAbsent(b)) items.push(item('remove', path, a, undefined));
  else if (isMapping(a) && isMapping(b)) collectObjectDiff(a, b, path, scope, items);
  else items.push(item('change', path, a, b));
}

function collectObjectDiff(
  a: JsonRecord,
  b: JsonRecord,
  path: FieldPath,
  scope: DiffScope,
  items: DiffItem[],
): void {
  const aKeys = new Set(presentKeys(a));
  const bKeys = new Set(presentKeys(b));
  if (scope !== 'left') {
    for (const key of bKeys)
      if (!aKeys.has(key)) collectDiff(undefined, b[key], [...path, key], scope, items);
  }
  if (scope !== 'right') {
    for (const key of aKeys)
      if (!bKeys.has(key)) collectDiff(a[key], undefined, [...path, key], scope, items);
  }
  for (const key of aKeys) if (bKeys.has(key)) collectDiff(a[key], b[key], [...path, key], scope, items);
}

function item(operation: DiffOperation, field: FieldPath, old: unknown, new_: unknown): DiffItem {
  return Object.freeze({ operation, field: Object.freeze([...field]), old, new: new_ });
}

/**
 * The part of a diff under `field`, with paths relative to it (Kopf's
 * `diffs.reduce`, what field handlers see). A change of a parent (e.g. a whole
 * `spec` added) is re-diffed down to the field's own values.
 *
 * @example
 * reduceDiff(diff({ spec: { a: 1 } }, { spec: { a: 2 } }), 'spec.a')
 * // [ { operation: 'change', field: [], old: 1, new: 2 } ]
 */
export function reduceDiff(source: Diff, field: FieldSpec): Diff {
  const path = parseField(field);
  const items: DiffItem[] = [];
  for (const entry of source) {
    const itemPath = entry.field;
    if (path.length === 0) {
      items.push(item(entry.operation, itemPath, entry.old, entry.new));
    } else if (startsWith(itemPath, path)) {
      items.push(item(entry.operation, itemPath.slice(path.length), entry.old, entry.new));
    } else if (startsWith(path, itemPath)) {
      const tail = path.slice(itemPath.length);
      collectDiff(resolveField(entry.old, tail), resolveField(entry.new, tail), [], 'full', items);
    }
  }
  return Object.freeze(items);
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((key, index) => path[index] === key);
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined;
}

/** Keys with a value (a key holding `undefined` counts as absent, as in JSON). */
function presentKeys(value: JsonRecord): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

/**
 * Python's `==` on parsed JSON: `null` equals only `null` (and `undefined`),
 * numbers and booleans compare numerically (`true == 1`), arrays item by item,
 * objects by key set and values regardless of key order.
 */
export function pythonEquals(a: unknown, b: unknown): boolean {
  if (isAbsent(a) || isAbsent(b)) return isAbsent(a) && isAbsent(b);
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b)) return arraysEqual(a, b);
  if (isMapping(a) && isMapping(b)) return objectsEqual(a, b);
  return a === b;
}

function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

function arraysEqual(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((value, index) => pythonEquals(value, b[index]));
}

function objectsEqual(a: JsonRecord, b: JsonRecord): boolean {
  const aKeys = presentKeys(a);
  const bKeys = presentKeys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && b[key] !== undefined && pythonEquals(a[key], b[key]));
}
