/**
 * The JSON Patch a mutating webhook answers with, from what handlers wrote into the
 * `patch` kwarg (Kopf's `Patch.as_json_patch()`): the merge patch applied to a copy
 * of the object first, the body transformations (`patch.fns`) on top, and the
 * difference to the object as RFC 6902 operations. Writes that change nothing (a
 * value set to what it is, removing what is absent) produce no operations.
 */
import type { Body, Patch } from '@kopf/core';
import type { Operation } from 'fast-json-patch';
import jsonpatch from 'fast-json-patch';
import { apply as applyMergePatch } from 'json-merge-patch';

/**
 * The operations that turn `body` into `body` with `patch` applied.
 *
 * @example
 * patch.spec.injected = 123;
 * jsonPatchOf(patch, { spec: {} }); // [{ op: 'add', path: '/spec/injected', value: 123 }]
 */
export function jsonPatchOf(patch: Patch, body: Body): Operation[] {
  if (patch.isEmpty) return [];
  const merged = applyMergePatch(structuredClone(body), patch.toMergePatch()) as Body;
  const target = patch.fns.reduce<Body>((current, fn) => fn(structuredClone(current)), merged);
  return jsonpatch.compare(body, target);
}
