/**
 * Writing nested fields of JSON objects, addressed by paths (`['status', 'kopf',
 * 'progress']` or the dotted `'status.kopf.progress'`), with the semantics of
 * Kopf's `dicts` helpers that its storages rely on: writing creates missing
 * parents, and removing a field also removes the parents it leaves empty. Patch
 * variants write through the `Patch` views, so the parts that end up empty vanish
 * from the merge patch. Reading (`parseField`, `resolveField`, `isMapping`) is
 * `@kopf/core`'s: reading through non-objects finds nothing instead of failing.
 */
import type { FieldPath, FieldSpec, Patch } from '@kopf/core';
import { isMapping, parseField, resolveField } from '@kopf/core';

/** Reading a field, from `@kopf/core`, for the reactor modules that import it from here. */
export { resolveField } from '@kopf/core';

type JsonRecord = Record<string, unknown>;

/** A field spec with `{name}` replaced, as Kopf's `field.format(name=name)` in storages. */
export function formatField(field: FieldSpec, name: string): FieldPath {
  return typeof field === 'string' ? parseField(field.replaceAll('{name}', name)) : [...field];
}

/**
 * Sets `value` at `path`, creating missing parents as objects.
 *
 * @throws TypeError when a parent on the path exists but is not an object.
 */
export function ensureField(target: JsonRecord, path: FieldPath, value: unknown): void {
  const parent = ensureParents(target, path);
  const last = path[path.length - 1];
  if (last === undefined) throw new TypeError('Setting a field failed: the path is empty (the root).');
  parent[last] = value;
}

function ensureParents(target: JsonRecord, path: FieldPath): JsonRecord {
  let current = target;
  for (const [index, key] of path.slice(0, -1).entries()) {
    if (!Object.hasOwn(current, key) || current[key] === undefined) current[key] = {};
    const next = current[key];
    if (!isMapping(next)) {
      const where = path.slice(0, index + 1).join('.');
      throw new TypeError(`Setting field ${path.join('.')} failed: ${where} is not an object.`);
    }
    current = next;
  }
  return current;
}

/**
 * Removes the field at `path` and every parent left empty by it (Kopf's
 * `dicts.remove`). Absent fields and non-object parents are ignored.
 */
export function removeField(target: JsonRecord, path: FieldPath): void {
  const [key, ...rest] = path;
  if (key === undefined || !Object.hasOwn(target, key)) return;
  if (rest.length === 0) {
    delete target[key];
    return;
  }
  const child = target[key];
  if (!isMapping(child)) return;
  removeField(child, rest);
  if (Object.keys(child).length === 0) delete target[key];
}

const PATCH_VIEWS = new Set(['metadata', 'spec', 'status']);

/** The merge-patch object of `patch`, with the view of `path`'s root created lazily. */
function patchRoot(patch: Patch, path: FieldPath): JsonRecord {
  const root = path[0];
  if (root !== undefined && PATCH_VIEWS.has(root) && !isMapping(patch.body[root])) {
    // The view getters create their objects as "lazy": pruned if they stay empty.
    if (root === 'metadata') void patch.metadata;
    else if (root === 'spec') void patch.spec;
    else void patch.status;
  }
  return patch.body;
}

/** The value already written into `patch` at `path` (`undefined` when none). */
export function resolveInPatch(patch: Patch, path: FieldPath): unknown {
  return resolveField(patch.body, path);
}

/** Writes `value` at `path` into `patch`; `null` deletes the field on the server (merge-patch). */
export function ensureInPatch(patch: Patch, path: FieldPath, value: unknown): void {
  ensureField(patchRoot(patch, path), path, value);
}

/** Takes back a write at `path` from `patch` (and the parents it leaves empty). */
export function removeFromPatch(patch: Patch, path: FieldPath): void {
  removeField(patch.body, path);
}
