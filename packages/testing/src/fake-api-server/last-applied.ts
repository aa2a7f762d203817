/**
 * The bridge between client-side and server-side apply that kube-apiserver keeps for
 * the `kubectl` field manager: fields of an object's
 * `kubectl.kubernetes.io/last-applied-configuration` that still hold their applied
 * value do not conflict with a server-side apply (so `kubectl apply --server-side`
 * takes over from `kubectl apply`), and a server-side apply by `kubectl` rewrites that
 * annotation when the object has one (so a later client-side apply still diffs right).
 */

import type { FieldSchema } from './field-schemas.js';
import type { FieldSet } from './field-sets.js';
import { isJsonObject, type JsonObject, metaOf, sortedJson } from './objects.js';
import { compareValues, fieldSetOf } from './structured-values.js';

/** The annotation client-side apply keeps its last applied configuration in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The only field manager the bridge serves (others opt out by using another name). */
export const KUBECTL = 'kubectl';

function lastAppliedOf(object: JsonObject | undefined): JsonObject | undefined {
  const text = object ? metaOf(object).annotations?.[LAST_APPLIED] : undefined;
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The fields a `kubectl` server-side apply may take without a conflict: applied before, unchanged since. */
export function conflictsForgiven(
  live: JsonObject | undefined,
  schema: FieldSchema,
  strip: (object: JsonObject | undefined) => JsonObject | undefined,
): FieldSet | undefined {
  const applied = lastAppliedOf(live);
  if (!applied) return undefined;
  const set = fieldSetOf(strip(applied), schema);
  return set.difference(compareValues(strip(applied), strip(live), schema).modified);
}

/** The object with its last-applied annotation rewritten to `config`, when it has one. */
export function withLastApplied(
  result: JsonObject,
  live: JsonObject | undefined,
  config: JsonObject,
): JsonObject {
  if (!lastAppliedOf(live) && !metaOf(live ?? {}).annotations?.[LAST_APPLIED]) return result;
  const { [LAST_APPLIED]: _old, ...annotations } = metaOf(config).annotations ?? {};
  const { annotations: _annotations, ...meta } = metaOf(config);
  const applied = { ...config, metadata: Object.keys(annotations).length ? { ...meta, annotations } : meta };
  const resultMeta = metaOf(result);
  return {
    ...result,
    metadata: {
      ...resultMeta,
      annotations: { ...(resultMeta.annotations ?? {}), [LAST_APPLIED]: `${sortedJson(applied)}\n` },
    },
  };
}
