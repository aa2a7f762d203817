/**
 * The diff handlers receive: what changed between the last handled state of an
 * object and the current one, in Kopf's shape (a list of add/change/remove items
 * with field paths), and the pure readers that field filters and field handlers
 * need: field paths (`parseField`, `resolveField`) and `reduceDiff`, the part of a
 * diff under one field. `@kopf/reactor` computes the diff of two essences
 * (`diff()`, with its scopes) by the walk in `diffing.ts`, the same walk that
 * `reduceDiff` uses to re-diff a value when an item sits above the field.
 */
import { diffValues, isMapping } from './diffing.js';

/** What happened to a field. */
export type DiffOperation = 'add' | 'change' | 'remove';

/** A path to a field, e.g. `['spec', 'field']`; `[]` is the root. */
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

/** A field as users and storages write it: dotted (`'spec.field'`) or a path (`['spec', 'field']`). */
export type FieldSpec = string | readonly string[];

const ROOT: FieldPath = Object.freeze([]);

/**
 * Parses a field spec into a path: `'spec.field'` → `['spec', 'field']`; no spec
 * (`undefined`) is the root, `[]`, as Kopf's `parse_field(None)`.
 *
 * @throws TypeError when the spec is neither a string nor an array of strings, or
 * has empty segments (`'spec..x'`, `''`, `[]`).
 * @example
 * parseField('spec.template.metadata'); // ['spec', 'template', 'metadata']
 */
export function parseField(field: FieldSpec | undefined): FieldPath {
  if (field === undefined) return ROOT;
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
    if (!isMapping(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * The part of a diff under one field, with paths relative to it (Kopf's
 * `diffs.reduce`): what field handlers receive as `diff`. Items below the field are
 * re-rooted; an item above it (e.g. all of `spec` added on creation) is re-diffed
 * down to the field's own old and new values, by Kopf's algorithm. A dotted field
 * is parsed; an array is taken as the path itself, `[]` selecting the whole diff.
 *
 * @example
 * reduceDiff([{ operation: 'change', field: ['spec', 'size'], old: 1, new: 2 }], 'spec');
 * // → [{ operation: 'change', field: ['size'], old: 1, new: 2 }]
 */
export function reduceDiff(diff: Diff, field: FieldSpec): Diff {
  const path = typeof field === 'string' ? parseField(field) : field;
  const items: DiffItem[] = [];
  for (const item of diff) {
    if (startsWith(item.field, path)) {
      items.push(Object.freeze({ ...item, field: Object.freeze(item.field.slice(path.length)) }));
    } else if (startsWith(path, item.field)) {
      const tail = path.slice(item.field.length);
      items.push(...diffValues(resolveField(item.old, tail), resolveField(item.new, tail)));
    }
  }
  return Object.freeze(items);
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => path[index] === part);
}
