/**
 * The essence of an object: the part whose changes matter to handlers, exactly as
 * Kopf 1.44 builds it (the `build` of its diff-base storages). Kept: everything
 * top-level except `apiVersion`, `kind`, `metadata` and `status`, plus
 * `metadata.labels` and `metadata.annotations` — minus kubectl's
 * last-applied-configuration and the annotations of Kopf-managed prefixes. Then
 * the fields that handlers watch (`field=`) are put back, empty stanzas dropped,
 * and the storage's `ignoredFields` removed. The storages remove their own keys on
 * top of this; see `diffbase.ts`.
 */
import type { Body, BodyEssence, FieldSpec } from '@kopf/core';
import { isMapping, parseField, resolveField } from '@kopf/core';
import { detectKopfManagedPrefixes } from './conventions.js';
import { ensureField, removeField } from './field-paths.js';

/** The annotation `kubectl apply` keeps; never part of the essence. */
export const KUBECTL_LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Options of {@link buildEssence}. */
export interface EssenceOptions {
  /** Fields kept even outside the essence (handlers' `field=`, e.g. `status.phase`). */
  readonly extraFields?: Iterable<FieldSpec> | undefined;
  /** Fields removed from the essence in the end (the diff-base storage's `ignoredFields`). */
  readonly ignoredFields?: Iterable<FieldSpec> | undefined;
}

type JsonRecord = Record<string, unknown>;

/**
 * The essence of `body`, a deep copy that shares nothing with it (Kopf's
 * `DiffBaseStorage.build`).
 *
 * @example
 * buildEssence({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', labels: { l: 'v' } }, spec: { f: 1 } })
 * // { spec: { f: 1 }, metadata: { labels: { l: 'v' } } }
 */
export function buildEssence(body: Body, options: EssenceOptions = {}): BodyEssence {
  const kept: JsonRecord = { ...body };
  for (const stanza of ['apiVersion', 'kind', 'metadata', 'status']) delete kept[stanza];
  const essence = structuredClone(kept);
  cherrypick(body, essence, ['metadata.labels', 'metadata.annotations']);
  dropForeignAnnotations(essence);
  cherrypick(body, essence, options.extraFields ?? []);
  removeEmptyStanzas(essence);
  for (const field of options.ignoredFields ?? []) removeField(essence, parseField(field));
  return essence as BodyEssence;
}

/** Copies the fields that exist in `source` into `target` (deep copies). */
function cherrypick(source: unknown, target: JsonRecord, fields: Iterable<FieldSpec>): void {
  for (const field of fields) {
    const path = parseField(field);
    const value = resolveField(source, path);
    if (value === undefined || path.length === 0) continue;
    try {
      ensureField(target, path, structuredClone(value));
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      // A parent in the essence is not an object: nothing can be merged there.
    }
  }
}

/** Removes kubectl's last-applied-configuration and all annotations of Kopf-managed prefixes. */
function dropForeignAnnotations(essence: JsonRecord): void {
  const annotations = resolveField(essence, ['metadata', 'annotations']);
  if (!isMapping(annotations)) return;
  const managed = detectKopfManagedPrefixes(Object.keys(annotations));
  for (const key of Object.keys(annotations)) {
    const slash = key.indexOf('/');
    const prefix = slash < 0 ? undefined : key.slice(0, slash);
    if (key === KUBECTL_LAST_APPLIED || (prefix !== undefined && managed.has(prefix))) {
      delete annotations[key];
    }
  }
}

/**
 * Removes the given annotation keys from an essence, in place (Kopf's
 * `remove_annotations`); the order of the other annotations is kept.
 */
export function removeAnnotations(essence: JsonRecord, keys: Iterable<string>): void {
  const annotations = resolveField(essence, ['metadata', 'annotations']);
  if (!isMapping(annotations)) return;
  for (const key of keys) delete annotations[key];
}

/**
 * Removes empty (falsy, in Python's sense) `metadata.annotations`,
 * `metadata.labels`, `metadata` and `status` from an essence, in place.
 */
export function removeEmptyStanzas(essence: JsonRecord): void {
  const metadata = essence.metadata;
  if (isMapping(metadata)) {
    for (const key of ['annotations', 'labels']) {
      if (Object.hasOwn(metadata, key) && isPythonFalsy(metadata[key])) delete metadata[key];
    }
  }
  for (const key of ['metadata', 'status']) {
    if (Object.hasOwn(essence, key) && isPythonFalsy(essence[key])) delete essence[key];
  }
}

/** Python's falsiness of JSON values: `null`, `false`, `0`, `''`, `[]`, `{}`. */
function isPythonFalsy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isMapping(value)) return Object.keys(value).length === 0;
  return !value;
}
