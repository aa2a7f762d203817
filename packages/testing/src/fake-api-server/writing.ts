/**
 * The write pipeline: create, update (PUT), patch and server-side apply, as
 * kube-apiserver runs them: decode (custom resources: pruned and defaulted by their
 * schema, `fieldValidation` applied) → preconditions → field manager (managedFields) →
 * mutating admission (its output pruned and defaulted again) → the kind's rules →
 * validation (metadata, the kind's, the schema's) → validating admission →
 * storage. Admission may wait (webhooks), so an update is retried from a fresh read
 * when the object changed meanwhile (etcd's GuaranteedUpdate). No-op writes persist
 * nothing and emit nothing; a write that leaves a deleting object without finalizers
 * removes it; `dryRun` runs everything but storage. Server-side apply is in
 * `applying.ts`, deletion in `deleting.ts`.
 */
import type { AdmissionChain, AdmissionOperation } from './admission.js';
import type { UserInfo } from './authorization.js';
import { customResourceErrors } from './custom-resource-validation.js';
import { invalid, invalidValue } from './field-errors.js';
import { track } from './field-managers.js';
import { groupVersionOf, type ResourceType, storedOf, viewOf } from './kinds.js';
import type { PatchType } from './negotiation.js';
import { type JsonObject, jsonEqual, metaOf, objectKey } from './objects.js';
import { applyPatch, type StrategicMerge } from './patching.js';
import { decodeBody, decodePatched, type FieldValidation, settleObject } from './schema-decoding.js';
import { alreadyExists, badRequest, conflict, internalError, notFound } from './statuses.js';
import type { ObjectStore } from './store.js';
import { validateMeta } from './validation.js';
import { hasFinalizers, prepareCreate, prepareUpdate } from './write-rules.js';

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
  /** Who writes: admission webhooks see it as `userInfo`. */
  readonly user?: UserInfo;
  /** The field manager (`fieldManager`, or the User-Agent's product); none: managedFields untouched. */
  readonly fieldManager?: string;
  /** Where admission warnings go (the response's `Warning` headers). */
  readonly warnings?: string[];
  /** What to do with fields a custom resource's schema does not know (absent: `Warn`). */
  readonly fieldValidation?: FieldValidation;
}

/** Where an object lives. */
export interface ObjectAddress {
  readonly type: ResourceType;
  readonly namespace: string;
  readonly name: string;
}

/** How many times an update is retried when the object keeps changing under admission. */
const MAX_ATTEMPTS = 20;

/** The storage key of an address. */
export function keyOf(address: ObjectAddress): string {
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

/** 400 when the body names another namespace than the URL. */
export function checkNamespace(address: ObjectAddress, object: JsonObject): void {
  const namespace = metaOf(object).namespace;
  if (address.type.namespaced && namespace && namespace !== address.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function validate(
  type: ResourceType,
  object: JsonObject,
  old: JsonObject | undefined,
  subresource = '',
): void {
  const errors = [
    ...validateMeta(metaOf(object), type.rules.names),
    ...(type.rules.validate?.(object, old) ?? []),
    ...customResourceErrors(type, object, old, subresource),
  ];
  if (errors.length > 0) throw invalid(type.group, type.kind, metaOf(object).name ?? '', errors);
}

// --- admission

/** The options object webhooks receive with a request. */
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/** Builds the admission request of a write. */
export function admissionRequest(
  operation: AdmissionOperation,
  address: ObjectAddress,
  subresource: string,
  objects: { object?: JsonObject | undefined; oldObject?: JsonObject | undefined },
  options: WriteOptions,
  requestOptions: JsonObject,
): Parameters<AdmissionChain['mutate']>[0] {
  return {
    operation,
    type: address.type,
    namespace: address.namespace,
    name: address.name,
    subresource,
    ...(objects.object ? { object: objects.object } : {}),
    ...(objects.oldObject ? { oldObject: objects.oldObject } : {}),
    dryRun: options.dryRun,
    ...(options.user ? { user: options.user } : {}),
    options: requestOptions,
    ...(options.warnings ? { warnings: options.warnings } : {}),
  };
}

/** The options object (`CreateOptions`, `PatchOptions`…) webhooks receive. */
export function optionsObject(kind: OptionsKind, options: WriteOptions, extra: JsonObject = {}): JsonObject {
  return {
    kind,
    apiVersion: 'meta.k8s.io/v1',
    ...(options.dryRun ? { dryRun: ['All'] } : {}),
    ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
    ...extra,
  };
}

// --- create

/** A mutated object pruned and defaulted again, as the mutating webhooks' output is. */
function settleMutated(type: ResourceType, before: JsonObject, mutated: JsonObject | undefined): JsonObject {
  if (!mutated || mutated === before) return before;
  return settleObject(type, mutated).object;
}

/** Mutating admission, the kind's create rules, validation, validating admission, storage. */
export async function admitCreate(
  context: WriteContext,
  address: ObjectAddress,
  incoming: JsonObject,
  options: WriteOptions,
  requestOptions: JsonObject,
): Promise<JsonObject> {
  const { type } = address;
  const mutated = settleMutated(
    type,
    incoming,
    await context.admission.mutate(
      admissionRequest('CREATE', address, '', { object: incoming }, options, requestOptions),
    ),
  );
  const object = prepareCreate(type, mutated, address.namespace, context.now());
  validate(type, object, undefined);
  const named = { ...address, name: metaOf(object).name ?? '' };
  await context.admission.validate(
    admissionRequest('CREATE', named, '', { object }, options, requestOptions),
  );
  const key = keyOf(named);
  if (context.store.get(type.storage, key)) throw alreadyExists(type.group, type.plural, named.name);
  if (options.dryRun) return object;
  return viewOf(type, context.store.create(type.storage, key, storedOf(type, object)));
}

/** POST: creates an object; returns it as stored (201). */
export async function createObject(
  context: WriteContext,
  type: ResourceType,
  namespace: string,
  body: JsonObject,
  options: WriteOptions,
): Promise<JsonObject> {
  const incoming = decodeBody(type, normalizeIncoming(type, body), options);
  if (metaOf(incoming).resourceVersion)
    throw internalError('resourceVersion should not be set on objects to be created');
  const address = { type, namespace, name: metaOf(incoming).name ?? '' };
  checkNamespace(address, incoming);
  const tracked = track(context, type, '', undefined, incoming, options);
  return admitCreate(context, address, tracked, options, optionsObject('CreateOptions', options));
}

// --- update, patch, apply

/** The current object at an address (in the served version's shape), or 404. */
export function currentObject(context: WriteContext, address: ObjectAddress): JsonObject {
  const stored = context.store.get(address.type.storage, keyOf(address));
  if (!stored) throw notFound(address.type.group, address.type.plural, address.name);
  return viewOf(address.type, stored);
}

/** 409 when the body names a resource version other than the current one (422 when one is required). */
export function checkResourceVersion(
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

/** Marks an attempt that lost a race with another write: read again and redo. */
const RETRY = Symbol('retry');

/** Admits and stores an update of `current` to `candidate`, unless the object changed meanwhile. */
async function admitUpdate(
  context: WriteContext,
  address: ObjectAddress,
  subresource: string,
  current: JsonObject,
  candidate: JsonObject,
  options: WriteOptions,
  requestOptions: JsonObject,
): Promise<JsonObject | typeof RETRY> {
  const { type } = address;
  const objects = { object: candidate, oldObject: current };
  const request = admissionRequest('UPDATE', address, subresource, objects, options, requestOptions);
  const mutated = settleMutated(type, candidate, await context.admission.mutate(request));
  const outcome = prepareUpdate(type, subresource, current, mutated);
  if (outcome.errors.length > 0) throw invalid(type.group, type.kind, address.name, outcome.errors);
  validate(type, outcome.object, current, subresource);
  await context.admission.validate({ ...request, object: outcome.object });
  const admitted = outcome.object;
  const released = metaOf(admitted).deletionTimestamp !== undefined && !hasFinalizers(type, admitted);
  if (jsonEqual(admitted, current) && !released) return current;
  if (options.dryRun) return admitted;
  const key = keyOf(address);
  const now = context.store.get(type.storage, key);
  if (metaOf(now ?? {}).resourceVersion !== metaOf(current).resourceVersion) return RETRY;
  const stored = released
    ? context.store.remove(type.storage, key, storedOf(type, admitted))
    : context.store.update(type.storage, key, storedOf(type, admitted));
  return viewOf(type, stored);
}

/** Reads, builds the new object and admits it; again from a fresh read when it lost a race. */
export async function guaranteedUpdate(
  context: WriteContext,
  address: ObjectAddress,
  subresource: string,
  options: WriteOptions,
  requestOptions: JsonObject,
  build: (current: JsonObject) => JsonObject,
): Promise<JsonObject> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const current = currentObject(context, address);
    const candidate = build(current);
    const result = await admitUpdate(
      context,
      address,
      subresource,
      current,
      candidate,
      options,
      requestOptions,
    );
    if (result !== RETRY) return result;
  }
  throw conflict(address.type.group, address.type.plural, address.name);
}

/** PUT: replaces an object (or its `/status`, or a namespace's `/finalize`). */
export function updateObject(
  context: WriteContext,
  address: ObjectAddress,
  subresource: string,
  body: JsonObject,
  options: WriteOptions,
): Promise<JsonObject> {
  const incoming = decodeBody(address.type, normalizeIncoming(address.type, body), options);
  checkIdentity(address, incoming, false);
  const requestOptions = optionsObject('UpdateOptions', options);
  return guaranteedUpdate(context, address, subresource, options, requestOptions, (current) => {
    checkResourceVersion(address, current, incoming, address.type.rules.unconditionalUpdate);
    const candidate = { ...incoming, metadata: { ...metaOf(incoming), name: address.name } };
    return track(context, address.type, subresource, current, candidate, options);
  });
}

/** PATCH: applies a merge, JSON or strategic merge patch to the current object. */
export function patchObject(
  context: WriteContext,
  address: ObjectAddress,
  subresource: string,
  patchType: PatchType,
  patch: unknown,
  options: WriteOptions,
): Promise<JsonObject> {
  const { type } = address;
  const target = { group: type.group, version: type.version, kind: type.kind };
  const requestOptions = optionsObject('PatchOptions', options);
  return guaranteedUpdate(context, address, subresource, options, requestOptions, (current) => {
    const patched = applyPatch(patchType, current, patch, target, context.strategicMerge);
    const incoming = decodePatched(
      type,
      { ...patched, apiVersion: current.apiVersion, kind: current.kind },
      options,
    );
    checkIdentity(address, incoming, true);
    checkResourceVersion(address, current, incoming, true);
    return track(context, type, subresource, current, incoming, options);
  });
}
