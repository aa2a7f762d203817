/**
 * Where handler progress lives on an object, in Kopf 1.44's formats (its
 * `kopf/_cogs/configs/progress.py`), so that Kopf and kopf-ts operators can take
 * over each other's objects mid-way and nothing re-runs.
 *
 * - Annotations (the default): `kopf.zalando.org/<id>` holds the record as compact
 *   JSON with `null` fields omitted, plus `kopf.zalando.org/touch-dummy`.
 * - Status (legacy, classic Kopf): `status.kopf.progress.<id>` holds the record as
 *   an object, plus `status.kopf.dummy`.
 * - Smart (Kopf 1.44's default): writes annotations only; reads annotations, then
 *   the legacy status; purges both.
 *
 * The storages only read the body and write into the patch they are given.
 */
import type {
  Body,
  BodyEssence,
  FieldPath,
  FieldSpec,
  HandlerId,
  Patch,
  ProgressRecord,
  ProgressStorage,
} from '@kopf/core';
import { isMapping, resolveField } from '@kopf/core';
import { AnnotationKeys } from './annotation-keys.js';
import { storeKopfManagedMarker } from './conventions.js';
import { removeAnnotations, removeEmptyStanzas } from './essence.js';
import { ensureInPatch, formatField, removeField, removeFromPatch, resolveInPatch } from './field-paths.js';
import { dumpKopfJson } from './kopf-json.js';
import { ProgressRecordError, parseStoredObject } from './storage-errors.js';

/** The fields of a progress record in the order Kopf writes them. */
export const PROGRESS_RECORD_FIELDS: readonly (keyof ProgressRecord)[] = Object.freeze([
  'started',
  'stopped',
  'delayed',
  'purpose',
  'retries',
  'success',
  'failure',
  'message',
  'subrefs',
]);

/**
 * The annotation value of a record: compact JSON in Kopf's field order, `null`
 * fields left out unless `verbose`.
 *
 * @example
 * encodeProgressRecord({ started: '2020-12-31T23:59:59.123456+00:00', retries: 1, success: false, message: null })
 * // '{"started":"2020-12-31T23:59:59.123456+00:00","retries":1,"success":false}'
 */
export function encodeProgressRecord(record: ProgressRecord, verbose = false): string {
  const source = record as Record<string, unknown>;
  const known = PROGRESS_RECORD_FIELDS as readonly string[];
  const ordered = [...known, ...Object.keys(source).filter((key) => !known.includes(key))];
  const encoded: Record<string, unknown> = {};
  for (const key of ordered) {
    const value = source[key];
    if (value !== undefined && (verbose || value !== null)) encoded[key] = value;
  }
  return dumpKopfJson(encoded);
}

/** Deep copy of an essence, for the `clear` methods (which must not mutate their input). */
function copyEssence(essence: BodyEssence): BodyEssence {
  return structuredClone(essence);
}

/**
 * Nulls `path` in the patch when the body has it; otherwise takes back any write
 * of it from the patch, so that purging a record never written sends nothing.
 */
function purgeField(body: Body, patch: Patch, path: FieldPath): void {
  if (resolveField(body, path) !== undefined) ensureInPatch(patch, path, null);
  else if (resolveInPatch(patch, path) !== undefined) removeFromPatch(patch, path);
}

/** Writes `value` (or `null` for `undefined`) at `path` unless the body has exactly it; true if written. */
function touchField(body: Body, patch: Patch, path: FieldPath, value: string | undefined): boolean {
  const current = resolveField(body, path) ?? null;
  if (current === (value ?? null)) return false;
  ensureInPatch(patch, path, value ?? null);
  return true;
}

/** Options of {@link AnnotationsProgressStorage}; Kopf's defaults. */
export interface AnnotationsProgressStorageOptions {
  /** Default `kopf.zalando.org`. Give each operator of the same objects its own prefix. */
  readonly prefix?: string;
  /** Keep `null` fields in the JSON (Kopf: `verbose=False`). */
  readonly verbose?: boolean;
  /** Default `touch-dummy` (dashed, not dotted). */
  readonly touchKey?: string;
  /** Also write and purge the V1 keys (Kopf: `True`). */
  readonly v1?: boolean;
}

/** Progress in `metadata.annotations`, one compact-JSON annotation per handler (Kopf's default). */
export class AnnotationsProgressStorage implements ProgressStorage {
  readonly prefix: string;
  readonly verbose: boolean;
  readonly touchKey: string;
  readonly v1: boolean;
  readonly #keys: AnnotationKeys;

  /** @throws AnnotationPrefixError when the prefix is empty. */
  constructor(options: AnnotationsProgressStorageOptions = {}) {
    this.prefix = options.prefix ?? 'kopf.zalando.org';
    this.verbose = options.verbose ?? false;
    this.touchKey = options.touchKey ?? 'touch-dummy';
    this.v1 = options.v1 ?? true;
    this.#keys = new AnnotationKeys({ prefix: this.prefix, v1: this.v1 });
  }

  /** The annotation keys of a record (V2 first, then V1 if different). */
  keysFor(key: HandlerId, body?: Body): string[] {
    return this.#keys.keysFor(key, body);
  }

  /** @throws ProgressRecordError when a stored value is not a JSON object. */
  fetch(key: HandlerId, body: Body): ProgressRecord | undefined {
    for (const fullKey of this.keysFor(key, body)) {
      const text = resolveField(body, ['metadata', 'annotations', fullKey]);
      const source = {
        what: `the progress of handler '${key}'`,
        where: `annotation ${fullKey}`,
        consequence: 'restarts that handler from its first attempt',
        body,
      };
      const record = parseStoredObject(text, source, (message, cause) => {
        return new ProgressRecordError(message, { cause });
      });
      if (record !== undefined) return record as ProgressRecord;
    }
    return undefined;
  }

  store(key: HandlerId, record: ProgressRecord, body: Body, patch: Patch): void {
    const encoded = encodeProgressRecord(record, this.verbose);
    for (const fullKey of this.keysFor(key, body)) patch.metadata.annotations[fullKey] = encoded;
    storeKopfManagedMarker(this.prefix, body, patch);
  }

  purge(key: HandlerId, body: Body, patch: Patch): void {
    for (const fullKey of this.keysFor(key, body))
      purgeField(body, patch, ['metadata', 'annotations', fullKey]);
  }

  touch(body: Body, patch: Patch, value: string | undefined): void {
    for (const fullKey of this.keysFor(this.touchKey, body)) {
      if (touchField(body, patch, ['metadata', 'annotations', fullKey], value)) {
        storeKopfManagedMarker(this.prefix, body, patch);
      }
    }
  }

  /** A copy of the essence without any annotation of this storage's prefix. */
  clear(essence: BodyEssence): BodyEssence {
    const cleared = copyEssence(essence);
    const annotations = resolveField(cleared, ['metadata', 'annotations']);
    const own = isMapping(annotations)
      ? Object.keys(annotations).filter((key) => key.startsWith(`${this.prefix}/`))
      : [];
    removeAnnotations(cleared, own);
    removeEmptyStanzas(cleared);
    return cleared;
  }
}

/** Options of {@link StatusProgressStorage}; `{name}` in fields is replaced by `name`. */
export interface StatusProgressStorageOptions {
  /** Default `kopf`. */
  readonly name?: string;
  /** Default `status.{name}.progress`. */
  readonly field?: FieldSpec;
  /** Default `status.{name}.dummy`. */
  readonly touchField?: FieldSpec;
}

/**
 * Progress in the status, one object per handler under `status.kopf.progress`
 * (classic Kopf). CRDs need `x-kubernetes-preserve-unknown-fields` on the status.
 */
export class StatusProgressStorage implements ProgressStorage {
  readonly field: FieldPath;
  readonly touchField: FieldPath;

  constructor(options: StatusProgressStorageOptions = {}) {
    const name = options.name ?? 'kopf';
    this.field = formatField(options.field ?? 'status.{name}.progress', name);
    this.touchField = formatField(options.touchField ?? 'status.{name}.dummy', name);
  }

  /** The record, or `undefined` when absent or not an object (a corrupted status counts as none). */
  fetch(key: HandlerId, body: Body): ProgressRecord | undefined {
    const record = resolveField(body, [...this.field, key]);
    return isMapping(record) ? (record as ProgressRecord) : undefined;
  }

  /** Writes the whole record, `null` fields included: the merge-patch removes them from the stored one. */
  store(key: HandlerId, record: ProgressRecord, _body: Body, patch: Patch): void {
    ensureInPatch(patch, [...this.field, key], { ...record });
  }

  purge(key: HandlerId, body: Body, patch: Patch): void {
    purgeField(body, patch, [...this.field, key]);
  }

  touch(body: Body, patch: Patch, value: string | undefined): void {
    touchField(body, patch, this.touchField, value);
  }

  /** A copy of the essence without the progress field. */
  clear(essence: BodyEssence): BodyEssence {
    const cleared = copyEssence(essence);
    removeField(cleared, this.field);
    removeEmptyStanzas(cleared);
    return cleared;
  }
}

/** Kopf 1.44's legacy status storage: read and purged, never written. */
class LegacyStatusProgressStorage extends StatusProgressStorage {
  override store(): void {}
  override touch(): void {}
}

/** Several storages at once: all are written and purged; the first one that has a record is read. */
export class MultiProgressStorage implements ProgressStorage {
  readonly storages: readonly ProgressStorage[];

  constructor(storages: Iterable<ProgressStorage>) {
    this.storages = Object.freeze([...storages]);
  }

  fetch(key: HandlerId, body: Body): ProgressRecord | undefined {
    for (const storage of this.storages) {
      const record = storage.fetch(key, body);
      if (record !== undefined) return record;
    }
    return undefined;
  }

  store(key: HandlerId, record: ProgressRecord, body: Body, patch: Patch): void {
    for (const storage of this.storages) storage.store(key, record, body, patch);
  }

  purge(key: HandlerId, body: Body, patch: Patch): void {
    for (const storage of this.storages) storage.purge(key, body, patch);
  }

  touch(body: Body, patch: Patch, value: string | undefined): void {
    for (const storage of this.storages) storage.touch(body, patch, value);
  }

  clear(essence: BodyEssence): BodyEssence {
    return this.storages.reduce((cleared, storage) => storage.clear(cleared), essence);
  }
}

/** Options of {@link SmartProgressStorage}: those of both storages it combines. */
export interface SmartProgressStorageOptions
  extends AnnotationsProgressStorageOptions,
    StatusProgressStorageOptions {}

/**
 * Kopf 1.44's default: writes annotations only; reads annotations first, then the
 * legacy `status.kopf.progress` of classic Kopf; purges both.
 */
export class SmartProgressStorage extends MultiProgressStorage {
  constructor(options: SmartProgressStorageOptions = {}) {
    super([new AnnotationsProgressStorage(options), new LegacyStatusProgressStorage(options)]);
  }
}
