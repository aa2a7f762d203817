/**
 * The diff handlers receive: what changed between the last handled state of an
 * object and the current one, in Kopf's shape (a list of add/change/remove items
 * with field paths). The diff is computed by `@kopf/reactor`; this module declares
 * it and offers pure readers that field filters need.
 */
import { isDeepStrictEqual } from 'node:util';

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

/** A field as users write it: `'spec.field'` or `['spec', 'field']`. */
export type FieldSpec = string | readonly string[];

/**
 * Parses a field spec into a path: `'spec.field'` → `['spec', 'field']`.
 *
 * @throws TypeError when the spec is neither a string nor an array of strings, or
 * has empty segments (`'spec..x'`).
 * @example
 * parseField('spec.template.metadata'); // ['spec', 'template', 'metadata']
 */
export function parseField(field: FieldSpec): FieldPath {
  const path = typeof field === 'string' ? field.split('.') : field;
  if (!Array.isArray(path) || path.some((part) => typeof part !== 'string')) {
    throw new TypeError(
      `A field must be a dotted string or an array of strings, got ${JSON.stringify(field)}.`,
    );
  }
  if (path.length === 0 || path.some((part) => part === '')) {
    throw new TypeError(`A field must have no empty parts, got ${JSON.stringify(field)}.`);
  }
  return Object.freeze([...path]);
}

/**
 * Reads a nested field; `undefined` when any step is absent or not an object
 * (corrupted or foreign data is read as absent, never thrown on, as in Kopf).
 *
 * @example
 * resolveField({ spec: { size: 3 } }, ['spec', 'size']); // 3
 * resolveField({ spec: 'oops' }, ['spec', 'size']);      // undefined
 */
export function resolveField(value: unknown, path: FieldPath): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The part of a diff that concerns one field, with paths relative to it: what field
 * handlers receive as `diff`. Items below the field are re-rooted; an item above it
 * (e.g. all of `spec` added) is expanded into the changes of the field itself.
 *
 * @example
 * reduceDiff([{ operation: 'change', field: ['spec', 'size'], old: 1, new: 2 }], ['spec']);
 * // → [{ operation: 'change', field: ['size'], old: 1, new: 2 }]
 */
export function reduceDiff(diff: Diff, path: FieldPath): Diff {
  const result: DiffItem[] = [];
  for (const item of diff) {
    if (startsWith(item.field, path)) {
      result.push({ ...item, field: item.field.slice(path.length) });
    } else if (startsWith(path, item.field)) {
      const tail = path.slice(item.field.length);
      result.push(...diffValues(resolveField(item.old, tail), resolveField(item.new, tail), []));
    }
  }
  return result;
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => path[index] === part);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Kopf's recursive diff: mappings are walked key by key, everything else compared whole. */
function diffValues(a: unknown, b: unknown, path: FieldPath): DiffItem[] {
  const none = (value: unknown): boolean => value === undefined || value === null;
  if (none(a) && none(b)) return [];
  if (none(a)) return [{ operation: 'add', field: path, old: a, new: b }];
  if (none(b)) return [{ operation: 'remove', field: path, old: a, new: b }];
  if (isMapping(a) && isMapping(b)) {
    const added = Object.keys(b).filter((key) => !Object.hasOwn(a, key));
    const removed = Object.keys(a).filter((key) => !Object.hasOwn(b, key));
    const common = Object.keys(a).filter((key) => Object.hasOwn(b, key));
    return [
      ...added.flatMap((key) => diffValues(undefined, b[key], [...path, key])),
      ...removed.flatMap((key) => diffValues(a[key], undefined, [...path, key])),
      ...common.flatMap((key) => diffValues(a[key], b[key], [...path, key])),
    ];
  }
  return isDeepStrictEqual(a, b) ? [] : [{ operation: 'change', field: path, old: a, new: b }];
}
