/**
 * Kopf's diff algorithm (`kopf/_cogs/structs/diffs.py`) on parsed JSON, once for
 * both of its users: `reduceDiff` here in core, which re-diffs a field's values
 * when a diff item sits above the field, and `diff()` in `@kopf/reactor`, which
 * diffs two essences with a scope. Objects are compared key by key and recursed
 * into; arrays and scalars are compared whole, so one changed item is a `change`
 * of the whole array. `null` and absent are the same thing: a field going from
 * absent to a value is an `add`, the reverse a `remove`. Equality is Python's, as
 * Kopf compares JSON it parsed itself: `1` equals `1.0`, and `true` equals `1`.
 */
import type { Diff, DiffItem, DiffOperation, FieldPath } from './diffs.js';

type JsonRecord = Record<string, unknown>;

/**
 * Which keys that only one of two compared objects has are reported: `added`, the
 * keys only the new object has; `removed`, the keys only the old one has. Keys of
 * both sides are always compared. (The reactor's diff scopes map onto these.)
 */
export interface DiffSides {
  readonly added: boolean;
  readonly removed: boolean;
}

const BOTH_SIDES: DiffSides = Object.freeze({ added: true, removed: true });

/** Whether a value is a JSON object (a mapping in Kopf's terms), not an array or `null`. */
export function isMapping(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The recursive walk of Kopf's diff: what changed from `old` to `new`, each item's
 * field prefixed with `path`. Items come in Kopf's grouping at every level:
 * additions, then removals, then changes inside keys both sides have (Python
 * orders keys within a group arbitrarily; here they follow the objects' key order).
 * Items and the list are frozen.
 *
 * @example
 * diffValues({ a: 1, b: [1] }, { b: [1, 2], c: 3 });
 * // [ { operation: 'add', field: ['c'], old: undefined, new: 3 },
 * //   { operation: 'remove', field: ['a'], old: 1, new: undefined },
 * //   { operation: 'change', field: ['b'], old: [1], new: [1, 2] } ]
 */
export function diffValues(
  old: unknown,
  new_: unknown,
  path: FieldPath = [],
  sides: DiffSides = BOTH_SIDES,
): Diff {
  const items: DiffItem[] = [];
  collectDiff(old, new_, path, sides, items);
  return Object.freeze(items);
}

function collectDiff(a: unknown, b: unknown, path: FieldPath, sides: DiffSides, items: DiffItem[]): void {
  if (pythonEquals(a, b)) return;
  if (isAbsent(a)) items.push(item('add', path, undefined, b));
  else if (isAbsent(b)) items.push(item('remove', path, a, undefined));
  else if (isMapping(a) && isMapping(b)) collectObjectDiff(a, b, path, sides, items);
  else items.push(item('change', path, a, b));
}

function collectObjectDiff(
  a: JsonRecord,
  b: JsonRecord,
  path: FieldPath,
  sides: DiffSides,
  items: DiffItem[],
): void {
  const aKeys = new Set(presentKeys(a));
  const bKeys = new Set(presentKeys(b));
  if (sides.added) {
    for (const key of bKeys)
      if (!aKeys.has(key)) collectDiff(undefined, b[key], [...path, key], sides, items);
  }
  if (sides.removed) {
    for (const key of aKeys)
      if (!bKeys.has(key)) collectDiff(a[key], undefined, [...path, key], sides, items);
  }
  for (const key of aKeys) if (bKeys.has(key)) collectDiff(a[key], b[key], [...path, key], sides, items);
}

function item(operation: DiffOperation, field: FieldPath, old: unknown, new_: unknown): DiffItem {
  return Object.freeze({ operation, field: Object.freeze([...field]), old, new: new_ });
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
 *
 * @example
 * pythonEquals({ a: [1, true] }, { a: [1.0, 1] }); // true
 * pythonEquals('1', 1);                             // false
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
