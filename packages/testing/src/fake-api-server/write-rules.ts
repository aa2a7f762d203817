/**
 * The rules of a write that do not depend on storage (the "strategy" of a real
 * registry, generalised): system fields on create, what an update may change (status
 * split both ways, immutable metadata, generation bumps on non-metadata changes), and
 * "no new finalizers while deleting". Pure functions of old and new objects.
 */
import { randomUUID } from 'node:crypto';
import { type FieldError, forbiddenValue, goValue, invalidValue } from './field-errors.js';
import type { ResourceType } from './kinds.js';
import {
  isJsonObject,
  type JsonObject,
  jsonEqual,
  metaOf,
  type ObjectMeta,
  timestamp,
  withoutMetadata,
} from './objects.js';

const GENERATED_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5 random characters the real server appends to `generateName`. */
export function generatedSuffix(): string {
  let suffix = '';
  for (let index = 0; index < 5; index += 1) {
    suffix += GENERATED_NAME_ALPHABET[Math.floor(Math.random() * GENERATED_NAME_ALPHABET.length)];
  }
  return suffix;
}

/** A new object with the system fields a create sets (uid, creationTimestamp, generation, name). */
export function prepareCreate(
  type: ResourceType,
  object: JsonObject,
  namespace: string,
  now: Date,
): JsonObject {
  const {
    uid: _uid,
    resourceVersion: _rv,
    deletionTimestamp: _dt,
    deletionGracePeriodSeconds: _dg,
    selfLink: _self,
    generation: _generation,
    namespace: _namespace,
    ...meta
  } = metaOf(object);
  const name = meta.name || (meta.generateName ? `${meta.generateName}${generatedSuffix()}` : '');
  const fresh: ObjectMeta = {
    ...meta,
    ...(name ? { name } : {}),
    ...(type.namespaced ? { namespace } : {}),
    uid: randomUUID(),
    creationTimestamp: timestamp(now),
    ...(type.rules.generation ? { generation: 1 } : {}),
  };
  let result: JsonObject = { ...object, metadata: fresh };
  if (type.rules.statusSubresource) {
    const { status: _status, ...rest } = result;
    result = rest;
  }
  return type.rules.prepareForCreate ? type.rules.prepareForCreate(result) : result;
}

function withStatusOf(object: JsonObject, source: JsonObject): JsonObject {
  const { status: _status, ...rest } = object;
  return source.status === undefined ? rest : { ...rest, status: source.status };
}

/** A `/status` write keeps everything but `.status` (and managedFields) from the current object. */
function statusUpdate(current: JsonObject, incoming: JsonObject): JsonObject {
  const result = withStatusOf(current, incoming);
  const managedFields = metaOf(incoming).managedFields;
  if (managedFields === undefined) return result;
  return { ...result, metadata: { ...metaOf(result), managedFields } };
}

/** A `/finalize` write (namespaces) changes only `spec.finalizers`. */
function finalizeUpdate(current: JsonObject, incoming: JsonObject): JsonObject {
  const spec = isJsonObject(current.spec) ? current.spec : {};
  const finalizers = isJsonObject(incoming.spec) ? incoming.spec.finalizers : undefined;
  return { ...current, spec: { ...spec, finalizers: Array.isArray(finalizers) ? finalizers : [] } };
}

function immutableErrors(incoming: ObjectMeta, current: ObjectMeta): FieldError[] {
  const errors: FieldError[] = [];
  if (incoming.uid && incoming.uid !== current.uid)
    errors.push(invalidValue('metadata.uid', incoming.uid, 'field is immutable'));
  if (incoming.deletionTimestamp && !current.deletionTimestamp) {
    errors.push(
      invalidValue(
        'metadata.deletionTimestamp',
        incoming.deletionTimestamp,
        'field is immutable; may only be changed via deletion',
      ),
    );
  }
  return errors;
}

/** A main-resource write: system metadata from the current object, status kept if it is a subresource. */
function mainUpdate(type: ResourceType, current: JsonObject, incoming: JsonObject): JsonObject {
  const old = metaOf(current);
  const meta: ObjectMeta = {
    ...metaOf(incoming),
    name: old.name,
    uid: old.uid,
    creationTimestamp: old.creationTimestamp,
    resourceVersion: old.resourceVersion,
  };
  if (type.namespaced) meta.namespace = old.namespace;
  else delete meta.namespace;
  for (const field of ['generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    if (old[field] === undefined) delete meta[field];
    else meta[field] = old[field] as never;
  }
  if (meta.managedFields === undefined && old.managedFields !== undefined)
    meta.managedFields = old.managedFields;
  let result: JsonObject = { ...incoming, metadata: meta };
  if (type.rules.statusSubresource) result = withStatusOf(result, current);
  return type.rules.prepareForUpdate ? type.rules.prepareForUpdate(result, current) : result;
}

function bumpGeneration(type: ResourceType, current: JsonObject, result: JsonObject): JsonObject {
  const generation = metaOf(current).generation;
  if (!type.rules.generation || typeof generation !== 'number') return result;
  const skipStatus = type.rules.statusSubresource;
  if (jsonEqual(withoutMetadata(result, skipStatus), withoutMetadata(current, skipStatus))) return result;
  return { ...result, metadata: { ...metaOf(result), generation: generation + 1 } };
}

function newFinalizerErrors(current: JsonObject, result: JsonObject): FieldError[] {
  if (!metaOf(current).deletionTimestamp) return [];
  const before = new Set(metaOf(current).finalizers ?? []);
  const added = (metaOf(result).finalizers ?? []).filter((finalizer) => !before.has(finalizer));
  if (added.length === 0) return [];
  return [
    forbiddenValue(
      'metadata.finalizers',
      `no new finalizers can be added if the object is being deleted, found new finalizers ${goValue(added)}`,
    ),
  ];
}

/** The outcome of applying an update's rules: the object to store, or field errors. */
export interface UpdateOutcome {
  readonly object: JsonObject;
  readonly errors: readonly FieldError[];
}

/** Applies the update rules for a write to `subresource` ('' for the main resource). */
export function prepareUpdate(
  type: ResourceType,
  subresource: string,
  current: JsonObject,
  incoming: JsonObject,
): UpdateOutcome {
  if (subresource === 'status') return { object: statusUpdate(current, incoming), errors: [] };
  if (subresource === 'finalize') return { object: finalizeUpdate(current, incoming), errors: [] };
  const errors = immutableErrors(metaOf(incoming), metaOf(current));
  const result = bumpGeneration(type, current, mainUpdate(type, current, incoming));
  return { object: result, errors: [...errors, ...newFinalizerErrors(current, result)] };
}

/** Whether something still holds the object from being removed. */
export function hasFinalizers(type: ResourceType, object: JsonObject): boolean {
  const finalizers = metaOf(object).finalizers ?? [];
  return finalizers.length > 0 || (type.rules.pendingFinalizers?.(object) ?? false);
}

/** The object marked for deletion: deletionTimestamp, grace period 0, generation +1. */
export function markDeleting(type: ResourceType, object: JsonObject, now: Date): JsonObject {
  const meta = metaOf(object);
  const marked: ObjectMeta = { ...meta, deletionTimestamp: timestamp(now), deletionGracePeriodSeconds: 0 };
  if (typeof meta.generation === 'number' && meta.generation > 0) marked.generation = meta.generation + 1;
  const result = { ...object, metadata: marked };
  return type.rules.markDeleting ? type.rules.markDeleting(result, now) : result;
}
