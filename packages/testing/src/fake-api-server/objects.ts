/**
 * Plain-JSON Kubernetes objects as the fake stores them, and the few accessors the
 * server needs. Stored objects are never mutated: every write builds a new object,
 * so lists, watch histories and snapshots can share them safely.
 */
import { isDeepStrictEqual } from 'node:util';

/** A JSON object: a Kubernetes object, a list, a patch or a Status. */
export type JsonObject = Record<string, unknown>;

/** `metadata` as the server reads it (any other fields are kept as they are). */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [field: string]: unknown;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object's metadata, or an empty one (never `undefined`). */
export function metaOf(object: JsonObject): ObjectMeta {
  const meta = object.metadata;
  return isJsonObject(meta) ? (meta as ObjectMeta) : {};
}

/** A deep copy through JSON (the objects are JSON by construction). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** Deep equality of two JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}

/** JSON with the keys of every object sorted, as Go's `json.Marshal` writes a map. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    isJsonObject(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((key) => [key, item[key]]),
        )
      : item,
  );
}

/** The storage key of an object: `namespace/name`, or `name` when cluster-scoped. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** RFC 3339 with second precision, as `metav1.Time` serialises. */
export function timestamp(date: Date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The object without `metadata` (and without `status` when asked): what generation tracks. */
export function withoutMetadata(object: JsonObject, alsoStatus: boolean): JsonObject {
  const { metadata: _metadata, ...rest } = object;
  if (!alsoStatus) return rest;
  const { status: _status, ...spec } = rest;
  return spec;
}
