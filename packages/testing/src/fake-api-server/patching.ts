/**
 * Applying PATCH bodies to the current object: RFC 7386 JSON merge patch (exact:
 * `null` deletes, arrays replace), RFC 6902 JSON Patch through fast-json-patch with
 * the real status codes (malformed → 400, more than 10000 operations → 413, a failed
 * operation or `test` → 422, `add` never creates missing parents), and strategic
 * merge for built-ins through `strategic-merge.ts`.
 */

import type { Operation } from 'fast-json-patch';
import jsonpatch from 'fast-json-patch';
import type { PatchType } from './negotiation.js';
import { isJsonObject, type JsonObject } from './objects.js';
import { badRequest, patchRejected, requestEntityTooLarge, StatusError } from './statuses.js';

/** kube-apiserver's cap on JSON Patch operations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** RFC 7386 merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const MALFORMED = new Set(['SEQUENCE_NOT_AN_ARRAY', 'OPERATION_NOT_AN_OBJECT']);

/** RFC 6902 JSON Patch with the real server's error codes. */
export function jsonPatch(target: JsonObject, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  if (patch.some((operation) => !isJsonObject(operation))) {
    throw badRequest('json: cannot unmarshal non-object into Go value of type jsonpatch.Operation');
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`,
    );
  }
  try {
    return jsonpatch.applyPatch(target, patch as Operation[], true, false).newDocument;
  } catch (error) {
    if (error instanceof StatusError) throw error;
    const name = (error as { name?: string }).name ?? '';
    if (MALFORMED.has(name)) throw badRequest((error as Error).message);
    throw patchRejected();
  }
}

/** The strategic merge implementation, when available (built-ins only). */
export type StrategicMerge = (
  original: JsonObject,
  patch: JsonObject,
  target: { group: string; version: string; kind: string },
) => JsonObject;

/** Applies a decoded patch body of `patchType` to `current`; the result must be an object. */
export function applyPatch(
  patchType: PatchType,
  current: JsonObject,
  patch: unknown,
  target: { group: string; version: string; kind: string },
  strategic: StrategicMerge | undefined,
): JsonObject {
  let result: unknown;
  if (patchType === 'json') result = jsonPatch(current, patch);
  else if (!isJsonObject(patch))
    throw badRequest('json: cannot unmarshal non-object into Go value of type map[string]interface {}');
  else if (patchType === 'merge') result = mergePatch(current, patch);
  else if (strategic) result = strategic(current, patch, target);
  else throw badRequest('strategic merge patch is not available');
  if (!isJsonObject(result)) throw badRequest('the patched object is not a JSON object');
  return result;
}
