/**
 * Where the last handled configuration (the "diff-base") lives, in Kopf 1.44's
 * formats (its `kopf/_cogs/configs/diffbase.py`): the essence of the object as
 * it was when its handlers last completed, as compact JSON. By default the
 * annotation `kopf.zalando.org/last-handled-configuration`, ending with `\n` as
 * kubectl's own; optionally a status field (no newline). No stored essence means
 * the object was never handled: a creation.
 *
 * `compareWithLastHandled` is the whole change detection input of a cycle: the
 * stored and the current essences, both cleared of the progress storage's own
 * traces, and the diff between them.
 */
import type {
  Body,
  BodyEssence,
  Diff,
  DiffBaseStorage,
  FieldPath,
  FieldSpec,
  Patch,
  ProgressStorage,
} from '@kopf/core';
import { resolveField } from '@kopf/core';
import { AnnotationKeys } from './annotation-keys.js';
import { storeKopfManagedMarker } from './conventions.js';
import { diff } from './diffs.js';
import { buildEssence, removeAnnotations, removeEmptyStanzas } from './essence.js';
import { ensureInPatch, formatField, removeField } from './field-paths.js';
import { dumpKopfJson } from './kopf-json.js';
import { DiffBaseRecordError, parseStoredObject } from './storage-errors.js';

type ExtraFields = readonly (readonly string[])[];

function parseEssence(text: unknown, where: string, body: Body): BodyEssence | undefined {
  const source = {
    what: 'the last handled configuration',
    where,
    consequence: 'makes the object look new, so its creation handlers run',
    body,
  };
  const makeError = (message: string, cause: unknown) => new DiffBaseRecordError(message, { cause });
  return parseStoredObject(text, source, makeError) as BodyEssence | undefined;
}

/** Options of {@link AnnotationsDiffBaseStorage}; Kopf's defaults. */
export interface AnnotationsDiffBaseStorageOptions {
  /** Default `kopf.zalando.org`. */
  readonly prefix?: string;
  /** Default `last-handled-configuration`. */
  readonly key?: string;
  /** Fields never compared (dotted or paths), e.g. `spec.replicas` managed by an autoscaler. */
  readonly ignoredFields?: Iterable<FieldSpec>;
  /** Also write the V1 key when it differs (Kopf: `True`). */
  readonly v1?: boolean;
}

/** The diff-base in an annotation (Kopf's default): compact JSON of the essence plus `\n`. */
export class AnnotationsDiffBaseStorage implements DiffBaseStorage {
  readonly prefix: string;
  readonly key: string;
  readonly v1: boolean;
  readonly ignoredFields: readonly FieldSpec[];
  readonly #keys: AnnotationKeys;

  /** @throws AnnotationPrefixError when the prefix is empty. */
  constructor(options: AnnotationsDiffBaseStorageOptions = {}) {
    this.prefix = options.prefix ?? 'kopf.zalando.org';
    this.key = options.key ?? 'last-handled-configuration';
    this.v1 = options.v1 ?? true;
    this.ignoredFields = Object.freeze([...(options.ignoredFields ?? [])]);
    this.#keys = new AnnotationKeys({ prefix: this.prefix, v1: this.v1 });
  }

  /** The annotation keys of the diff-base on this body (V2 first, then V1 if different). */
  keysFor(body?: Body): string[] {
    return this.#keys.keysFor(this.key, body);
  }

  /** The essence, without this storage's own annotations. */
  build(body: Body, extraFields?: ExtraFields): BodyEssence {
    const essence = buildEssence(body, { extraFields, ignoredFields: this.ignoredFields });
    removeAnnotations(essence, this.keysFor(body));
    removeEmptyStanzas(essence);
    return essence;
  }

  /** @throws DiffBaseRecordError when the stored value is not a JSON object. */
  fetch(body: Body): BodyEssence | undefined {
    for (const fullKey of this.keysFor(body)) {
      const text = resolveField(body, ['metadata', 'annotations', fullKey]);
      const essence = parseEssence(text, `annotation ${fullKey}`, body);
      if (essence !== undefined) return essence;
    }
    return undefined;
  }

  store(body: Body, patch: Patch, essence: BodyEssence): void {
    const encoded = `${dumpKopfJson(essence)}\n`;
    for (const fullKey of this.keysFor(body)) patch.metadata.annotations[fullKey] = encoded;
    storeKopfManagedMarker(this.prefix, body, patch);
  }
}

/** Options of {@link StatusDiffBaseStorage}; `{name}` in the field is replaced by `name`. */
export interface StatusDiffBaseStorageOptions {
  /** Default `kopf`. */
  readonly name?: string;
  /** Default `status.{name}.last-handled-configuration`. */
  readonly field?: FieldSpec;
  readonly ignoredFields?: Iterable<FieldSpec>;
}

/** The diff-base in a status field, as a compact JSON string (no trailing newline). */
export class StatusDiffBaseStorage implements DiffBaseStorage {
  readonly field: FieldPath;
  readonly ignoredFields: readonly FieldSpec[];

  constructor(options: StatusDiffBaseStorageOptions = {}) {
    const name = options.name ?? 'kopf';
    this.field = formatField(options.field ?? 'status.{name}.last-handled-configuration', name);
    this.ignoredFields = Object.freeze([...(options.ignoredFields ?? [])]);
  }

  /** The essence, without this storage's own field (when handlers' fields bring it in). */
  build(body: Body, extraFields?: ExtraFields): BodyEssence {
    const essence = buildEssence(body, { extraFields, ignoredFields: this.ignoredFields });
    removeField(essence, this.field);
    return essence;
  }

  /** @throws DiffBaseRecordError when the stored value is not a JSON object in a string. */
  fetch(body: Body): BodyEssence | undefined {
    return parseEssence(resolveField(body, this.field), `field ${this.field.join('.')}`, body);
  }

  store(_body: Body, patch: Patch, essence: BodyEssence): void {
    ensureInPatch(patch, this.field, dumpKopfJson(essence));
  }
}

/**
 * Several diff-base storages: all are written; the first one that has an essence
 * is read; the essence is cleared of every storage's own fields.
 */
export class MultiDiffBaseStorage implements DiffBaseStorage {
  readonly storages: readonly DiffBaseStorage[];

  constructor(storages: Iterable<DiffBaseStorage>) {
    this.storages = Object.freeze([...storages]);
  }

  build(body: Body, extraFields?: ExtraFields): BodyEssence {
    const essence = buildEssence(body, { extraFields });
    // Each storage cleans its own fields, taking what is left of the body as the body.
    return this.storages.reduce((result, storage) => storage.build(result, extraFields), essence);
  }

  fetch(body: Body): BodyEssence | undefined {
    for (const storage of this.storages) {
      const essence = storage.fetch(body);
      if (essence !== undefined) return essence;
    }
    return undefined;
  }

  store(body: Body, patch: Patch, essence: BodyEssence): void {
    for (const storage of this.storages) storage.store(body, patch, essence);
  }
}

/** The input of change detection: see {@link compareWithLastHandled}. */
export interface EssenceComparison {
  /** The stored essence, cleared of progress traces; `undefined` when never handled. */
  readonly old: BodyEssence | undefined;
  /** The current essence, cleared of progress traces: what to store once handled. */
  readonly new: BodyEssence;
  /** From `old` to `new`; a single root `add` when there is no `old`. */
  readonly diff: Diff;
}

/** Options of {@link compareWithLastHandled}. */
export interface EssenceComparisonOptions {
  readonly diffbase: DiffBaseStorage;
  readonly progress: ProgressStorage;
  /** The fields of the matching handlers' `field=` options (event, changing, daemon/timer handlers). */
  readonly extraFields?: ExtraFields;
}

/**
 * The last handled and the current essence of an object and their diff, as Kopf
 * computes them before detecting the cause: both are cleared of the progress
 * storage's traces. Store `new` through the diff-base storage when the cause is
 * done (or has no handlers) and `diff` is not empty, i.e. the essence changed.
 */
export function compareWithLastHandled(body: Body, options: EssenceComparisonOptions): EssenceComparison {
  const stored = options.diffbase.fetch(body);
  const current = options.diffbase.build(body, options.extraFields);
  const old = stored === undefined ? undefined : options.progress.clear(stored);
  const fresh = options.progress.clear(current);
  return { old, new: fresh, diff: diff(old, fresh) };
}
