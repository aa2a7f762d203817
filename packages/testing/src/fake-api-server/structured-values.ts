/**
 * The operations of structured-merge-diff over plain JSON objects and a `FieldSchema`:
 * the field set a value sets (what an applier owns), the comparison of two values
 * (added, modified and removed paths: what an update takes over), the merge of an
 * applied configuration into a live object (associative lists by key, keeping the
 * live order and placing shared items in the applied order), and the removal of paths
 * (fields an applier stopped applying).
 */

import { type FieldSchema, fieldOf, itemsOf, resolveSchema } from './field-schemas.js';
import { type FieldPath, FieldSet, type PathElement } from './field-sets.js';
import { isJsonObject, type JsonObject, jsonEqual } from './objects.js';

/** The path element of a list item under a list schema (`k:`, `v:`, or `i:` as a last resort). */
export function itemElement(schema: FieldSchema, item: unknown, index: number): PathElement {
  if (schema.kind === 'list' && schema.listType === 'set') return `v:${JSON.stringify(item)}`;
  if (schema.kind === 'list' && schema.listType === 'map' && isJsonObject(item)) {
    const keys = [...(schema.keys ?? [])].sort();
    const present = keys.filter((key) => item[key] !== undefined);
    if (present.length > 0) {
      const key: JsonObject = {};
      for (const name of present) key[name] = item[name];
      return `k:${JSON.stringify(key)}`;
    }
  }
  return `i:${index}`;
}

/** Items of a list by their path element; duplicates make the list behave atomically. */
function indexItems(schema: FieldSchema, list: readonly unknown[]): Map<PathElement, unknown> | undefined {
  const items = new Map<PathElement, unknown>();
  for (const [index, item] of list.entries()) {
    const element = itemElement(schema, item, index);
    if (items.has(element)) return undefined;
    items.set(element, item);
  }
  return items;
}

function isAtomic(schema: FieldSchema): boolean {
  return (
    (schema.kind === 'map' && schema.atomic === true) ||
    (schema.kind === 'list' && schema.listType === 'atomic')
  );
}

// --- the field set of a value

/** Every path `value` sets: leaves, atomic lists and maps, and the items of associative lists. */
export function fieldSetOf(value: unknown, schema: FieldSchema): FieldSet {
  const paths: FieldPath[] = [];
  const walk = (current: unknown, declared: FieldSchema, path: FieldPath): void => {
    const resolved = resolveSchema(declared, current);
    if (resolved.kind === 'scalar' || isAtomic(resolved)) {
      if (path.length > 0) paths.push(path);
      return;
    }
    if (resolved.kind === 'map' && isJsonObject(current)) {
      for (const [key, child] of Object.entries(current)) {
        if (child !== undefined) walk(child, fieldOf(resolved, key), [...path, `f:${key}`]);
      }
      return;
    }
    if (Array.isArray(current)) {
      for (const [index, item] of current.entries()) {
        const element = itemElement(resolved, item, index);
        walk(item, itemsOf(resolved), [...path, element]);
        paths.push([...path, element]);
      }
    }
  };
  walk(value, schema, []);
  return FieldSet.of(paths);
}

// --- comparison

/** What changed between two values. */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

function isEmptyContainer(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

/** Compares `before` and `after`: new nodes (maps and lists included) are added, as kube records them. */
export function compareValues(before: unknown, after: unknown, schema: FieldSchema): Comparison {
  const added: FieldPath[] = [];
  const modified: FieldPath[] = [];
  const removed: FieldPath[] = [];
  const leaf = (lhs: unknown, rhs: unknown, path: FieldPath): void => {
    if (path.length === 0) return;
    if (lhs === undefined && rhs !== undefined) added.push(path);
    else if (lhs !== undefined && rhs === undefined) removed.push(path);
    else if (!jsonEqual(lhs, rhs)) modified.push(path);
  };
  const walk = (lhs: unknown, rhs: unknown, declared: FieldSchema, path: FieldPath): void => {
    const resolved = resolveSchema(declared, rhs === undefined ? lhs : rhs);
    const bothEmpty = isEmptyContainer(lhs) && isEmptyContainer(rhs);
    const sameShape =
      lhs === undefined ||
      rhs === undefined ||
      (isJsonObject(lhs) && isJsonObject(rhs)) ||
      (Array.isArray(lhs) && Array.isArray(rhs));
    if (resolved.kind === 'scalar' || isAtomic(resolved) || bothEmpty || !sameShape) {
      leaf(lhs, rhs, path);
      return;
    }
    if (path.length > 0 && lhs === undefined) added.push(path);
    if (path.length > 0 && rhs === undefined) removed.push(path);
    if (resolved.kind === 'map') {
      const left = isJsonObject(lhs) ? lhs : {};
      const right = isJsonObject(rhs) ? rhs : {};
      for (const key of new Set([...Object.keys(left), ...Object.keys(right)]))
        walk(left[key], right[key], fieldOf(resolved, key), [...path, `f:${key}`]);
      return;
    }
    const left = indexItems(resolved, Array.isArray(lhs) ? lhs : []);
    const right = indexItems(resolved, Array.isArray(rhs) ? rhs : []);
    if (!left || !right) {
      leaf(lhs, rhs, path);
      return;
    }
    for (const element of new Set([...left.keys(), ...right.keys()]))
      walk(left.get(element), right.get(element), itemsOf(resolved), [...path, element]);
  };
  walk(before, after, schema, []);
  return { added: FieldSet.of(added), modified: FieldSet.of(modified), removed: FieldSet.of(removed) };
}

// --- merging an applied configuration

/**
 * Merges the items of two associative lists as structured-merge-diff orders them:
 * live-only items keep their places, items in both come in the applied order, and
 * applied-only items come where the applied order puts them.
 */
function mergeItems(
  live: readonly unknown[],
  applied: readonly unknown[],
  schema: FieldSchema,
  merge: (lhs: unknown, rhs: unknown) => unknown,
): unknown[] | undefined {
  const liveItems = indexItems(schema, live);
  const appliedItems = indexItems(schema, applied);
  if (!liveItems || !appliedItems) return undefined;
  const lhs = [...liveItems.keys()];
  const rhs = [...appliedItems.keys()];
  const shared = rhs.filter((element) => liveItems.has(element));
  let nextShared = shared.shift();
  const merged = new Set<PathElement>();
  const out: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < lhs.length || r < rhs.length) {
    const left = lhs[l];
    const right = rhs[r];
    if (left !== undefined && right !== undefined) {
      if (left === right) {
        merged.add(left);
        out.push(merge(liveItems.get(left), appliedItems.get(right)));
        l += 1;
        r += 1;
        nextShared = shared.shift();
        continue;
      }
      if (appliedItems.has(left) && nextShared !== undefined && nextShared !== left) {
        l += 1;
        continue;
      }
    }
    if (left !== undefined) {
      if (!appliedItems.has(left)) {
        out.push(liveItems.get(left));
        l += 1;
        continue;
      }
      if (merged.has(left)) {
        l += 1;
        continue;
      }
    }
    if (right !== undefined) {
      merged.add(right);
      out.push(merge(liveItems.get(right), appliedItems.get(right)));
      r += 1;
      if (nextShared === right) nextShared = shared.shift();
    }
  }
  return out;
}

/** The live object with an applied configuration merged in (`null` in the configuration unsets). */
export function mergeValues(live: unknown, applied: unknown, schema: FieldSchema): unknown {
  if (applied === undefined) return live;
  if (live === undefined || live === null) return withoutNulls(applied);
  const resolved = resolveSchema(schema, applied);
  if (resolved.kind === 'scalar' || isAtomic(resolved)) return withoutNulls(applied);
  if (resolved.kind === 'map' && isJsonObject(live) && isJsonObject(applied)) {
    const out: JsonObject = { ...live };
    for (const [key, value] of Object.entries(applied)) {
      if (value === null) delete out[key];
      else if (value !== undefined) out[key] = mergeValues(live[key], value, fieldOf(resolved, key));
    }
    return out;
  }
  if (resolved.kind === 'list' && Array.isArray(live) && Array.isArray(applied)) {
    const items = itemsOf(resolved);
    return (
      mergeItems(live, applied, resolved, (lhs, rhs) => mergeValues(lhs, rhs, items)) ?? withoutNulls(applied)
    );
  }
  return withoutNulls(applied);
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) out[key] = withoutNulls(child);
  return out;
}

// --- removing paths

/** `value` without the member paths of `set` (map fields deleted, list items dropped). */
export function removePaths(value: unknown, set: FieldSet, schema: FieldSchema): unknown {
  const paths = set.paths();
  if (paths.length === 0) return value;
  const remove = (current: unknown, declared: FieldSchema, prefix: FieldPath): unknown => {
    const resolved = resolveSchema(declared, current);
    if (resolved.kind === 'map' && isJsonObject(current)) {
      const out: JsonObject = {};
      for (const [key, child] of Object.entries(current)) {
        const path = [...prefix, `f:${key}`];
        if (set.has(path)) continue;
        out[key] = remove(child, fieldOf(resolved, key), path);
      }
      return out;
    }
    if (Array.isArray(current) && resolved.kind === 'list') {
      const out: unknown[] = [];
      for (const [index, item] of current.entries()) {
        const path = [...prefix, itemElement(resolved, item, index)];
        if (set.has(path)) continue;
        out.push(remove(item, itemsOf(resolved), path));
      }
      return out;
    }
    return current;
  };
  return remove(value, schema, []);
}
