/**
 * The write pipeline: create, update (PUT), patch, delete and deletecollection, as
 * kube-apiserver runs them: decode → preconditions → the kind's rules → validation →
 * admission (mutating, then validating) → storage. No-op writes persist nothing and
 * emit nothing; a write that leaves a deleting object without finalizers removes it;
 * `dryRun` runs everything but storage.
 */
import type { AdmissionChain, AdmissionOperation } from './admission.js';
import { invalid, invalidValue } from './field-errors.js';
import { groupVersionOf, type ResourceType, storedOf, viewOf } from './kinds.js';
import type { PatchType } from './negotiation.js';
import { type JsonObject, jsonEqual, metaOf, objectKey } from './objects.js';
import { applyPatch, type StrategicMerge } from './patching.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  deletedStatus,
  failure,
  internalError,
  notFound,
  qualifiedResource,
} from './statuses.js';
import type { ObjectStore } from './store.js';
import { validateMeta } from './validation.js';
import { hasFinalizers, markDeleting, prepareCreate, prepareUpdate } from './write-rules.js';

/** What the pipeline needs from the server. */
export interface WriteContext {
  readonly store: ObjectStore;
  readonly admission: AdmissionChain;
  readonly now: () => Date;
  readonly strategicMerge?: StrategicMerge;
}

/** Per-request options shared by all writes. */
export interface WriteOptions {
  readonly dryRun: boolean;
}

/** Where an object lives. */
export interface ObjectAddress {
  readonly type: ResourceType;
  readonly namespace: string;
  readonly name: string;
}

function keyOf(address: ObjectAddress): string {
  return objectKey(address.type.namespaced ? address.namespace : undefined, address.name);
}

/** Checks `apiVersion`/`kind` of a body against the endpoint and fills them in when absent. */
export function normalizeIncoming(type: ResourceType, body: JsonObject): JsonObject {
  const apiVersion = groupVersionOf(type);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = body;
  return { apiVersion, kind: type.kind, ...rest };
}

function checkNamespace(address: ObjectAddress, object: JsonObject): void {
  const namespace = metaOf(object).namespace;
  if (address.type.namespaced && namespace && namespace !== address.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function validate(type: ResourceType, object: JsonObject, old: JsonObject | undefined): void {
  const errors = [
    ...validateMeta(metaOf(object), type.rules.names),
    ...(type.rules.validate?.(object, old) ?? []),
  ];
  if (errors.length > 0) throw invalid(type.group, type.kind, metaOf(object).name ?? '', errors);
}

function admit(
  context: WriteContext,
  operation: AdmissionOperation,
  address: ObjectAddress,
  subresource: string,
  object: JsonObject | undefined,
  oldObject: JsonObject | undefined,
  options: WriteOptions,
): JsonObject | undefined {
  const request = {
    operation,
    type: address.type,
    namespace: address.namespace,
    name: address.name,
    subresource,
    ...(object ? { object } : {}),
    ...(oldObject ? { oldObject } : {}),
    dryRun: options.dryRun,
  };
  const mutated = context.admission.mutate(request);
  context.admission.validate({ ...request, ...(mutated ? { object: mutated } : {}) });
  return mutated;
}

/** POST: creates an object; returns it as stored (201). */
export function createObject(
  context: WriteContext,
  type: ResourceType,
  namespace: string,
  body: JsonObject,
  options: WriteOptions,
): JsonObject {
  const incoming = normalizeIncoming(type, body);
  if (metaOf(incoming).resourceVersion)
    throw internalError('resourceVersion should not be set on objects to be created');
  const address = { type, namespace, name: metaOf(incoming).name ?? '' };
  checkNamespace(address, incoming);
  const admitted = admit(context, 'CREATE', address, '', incoming, undefined, options) ?? incoming;
  const object = prepareCreate(type, admitted, namespace, context.now());
  validate(type, object, undefined);
  const named = { ...address, name: metaOf(object).name ?? '' };
  const key = keyOf(named);
  if (context.store.get(type.storage, key)) throw alreadyExists(type.group, type.plural, named.name);
  if (options.dryRun) return object;
  return viewOf(type, context.store.create(type.storage, key, storedOf(type, object)));
}

/** The current object at an address (in the served version's shape), or 404. */
export function currentObject(context: WriteContext, address: ObjectAddress): JsonObject {
  const stored = context.store.get(address.type.storage, keyOf(address));
  if (!stored) throw notFound(address.type.group, address.type.plural, address.name);
  return viewOf(address.type, stored);
}

function checkResourceVersion(
  address: ObjectAddress,
  current: JsonObject,
  incoming: JsonObject,
  unconditional: boolean,
): void {
  const requested = metaOf(incoming).resourceVersion;
  if (!requested) {
    if (unconditional) return;
    throw invalid(address.type.group, address.type.kind, address.name, [
      {
        type: 'FieldValueInvalid',
        field: 'metadata.resourceVersion',
        value: '0x0',
        detail: 'must be specified for an update',
      },
    ]);
  }
  if (requested !== metaOf(current).resourceVersion)
    throw conflict(address.type.group, address.type.plural, address.name);
}

function checkIdentity(address: ObjectAddress, incoming: JsonObject, patch: boolean): void {
  const name = metaOf(incoming).name;
  if (patch && name !== address.name) {
    throw invalid(address.type.group, address.type.kind, address.name, [
      invalidValue('metadata.name', name, 'field is immutable'),
    ]);
  }
  if (!patch && name && name !== address.name) {
    throw badRequest(`the name of the object (${name}) does not match the name on the URL (${address.name})`);
  }
  if (!patch) checkNamespace(address, incoming);
}

/** Stores the result of an update, unless nothing changed; removes a released deleting object. */
function commitUpdate(
  context: WriteContext,
  address: ObjectAddress,
  subresource: string,
  current: JsonObject,
  candidate: JsonObject,
  options: WriteOptions,
): JsonObject {
  const { type } = address;
  const outcome = prepareUpdate(type, subresource, current, candidate);
  const errors = [...outcome.errors];
  if (errors.length > 0) throw invalid(type.group, type.kind, address.name, errors);
  validate(type, outcome.object, current);
  const admitted =
    admit(context, 'UPDATE', address, subresource, outcome.object, current, options) ?? outcome.object;
  const released = metaOf(admitted).deletionTimestamp !== undefined && !hasFinalizers(type, admitted);
  if (jsonEqual(admitted, current) && !released) return current;
  if (options.dryRun) return admitted;
  const key = keyOf(address);
  const stored = released
    ? context.store.remove(type.storage, key, storedOf(type, admitted))
    : context.store.update(type.storage, key, storedOf(type, admitted));
  return viewOf(type, stored);
}

/** PUT: replaces an object (or its `/status`, or a namespace's `/finalize`). */
export function updateObject(
  context: WriteContext,
  address: ObjectAddress,
  subresource: string,
  body: JsonObject,
  options: WriteOptions,
): JsonObject {
  const current = currentObject(context, address);
  const incoming = normalizeIncoming(address.type, body);
  checkIdentity(address, incoming, false);
  checkResourceVersion(address, current, incoming, address.type.rules.unconditionalUpdate);
  const candidate = { ...incoming, metadata: { ...metaOf(incoming), name: address.name } };
  return commitUpdate(context, address, subresource, current, candidate, options);
}

/** PATCH: applies a merge, JSON or strategic merge patch to the current object. */
export function patchObject(
  context: WriteContext,
  address: ObjectAddress,
  subresource: string,
  patchType: PatchType,
  patch: unknown,
  options: WriteOptions,
): JsonObject {
  const current = currentObject(context, address);
  const { type } = address;
  const target = { group: type.group, version: type.version, kind: type.kind };
  const patched = applyPatch(patchType, current, patch, target, context.strategicMerge);
  const incoming = { ...patched, apiVersion: current.apiVersion, kind: current.kind };
  checkIdentity(address, incoming, true);
  checkResourceVersion(address, current, incoming, true);
  return commitUpdate(context, address, subresource, current, incoming, options);
}

/** DeleteOptions as the real server reads them from the body or the query. */
export interface DeleteOptions extends WriteOptions {
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: string;
  readonly gracePeriodSeconds?: number;
}

/** The answer to a DELETE: the object (still there, or when the kind returns it) or a Status. */
export interface DeleteOutcome {
  readonly body: JsonObject;
  /** Whether the object is gone now. */
  readonly gone: boolean;
}

function checkPreconditions(address: ObjectAddress, current: JsonObject, options: DeleteOptions): void {
  const { uid, resourceVersion } = options.preconditions ?? {};
  const meta = metaOf(current);
  const prefix = `Operation cannot be fulfilled on ${qualifiedResource(address.type.group, address.type.plural)} "${address.name}": Precondition failed`;
  const details = { name: address.name, group: address.type.group, kind: address.type.plural };
  if (uid && uid !== meta.uid) {
    throw failure(
      409,
      'Conflict',
      `${prefix}: UID in precondition: ${uid}, UID in object meta: ${meta.uid ?? ''}`,
      details,
    );
  }
  if (resourceVersion && resourceVersion !== meta.resourceVersion) {
    throw failure(
      409,
      'Conflict',
      `${prefix}: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
      details,
    );
  }
}

/** DELETE: marks an object with finalizers, removes one without. */
export function deleteObject(
  context: WriteContext,
  address: ObjectAddress,
  options: DeleteOptions,
): DeleteOutcome {
  const { type } = address;
  const current = currentObject(context, address);
  checkPreconditions(address, current, options);
  admit(context, 'DELETE', address, '', undefined, current, options);
  if (metaOf(current).deletionTimestamp) return { body: current, gone: false };
  const key = keyOf(address);
  if (hasFinalizers(type, current)) {
    const marked = markDeleting(type, current, context.now());
    if (options.dryRun) return { body: marked, gone: false };
    return {
      body: viewOf(type, context.store.update(type.storage, key, storedOf(type, marked))),
      gone: false,
    };
  }
  const last = options.dryRun
    ? current
    : viewOf(type, context.store.remove(type.storage, key, storedOf(type, current)));
  if (type.rules.returnDeletedObject) return { body: last, gone: true };
  return {
    body: deletedStatus(type.group, type.plural, address.name, metaOf(current).uid ?? ''),
    gone: true,
  };
}
