/**
 * DELETE as kube-apiserver runs it: DeleteOptions from the body or the query
 * (validated), preconditions, validating admission (`DELETE` with the old object),
 * then either removal or, when finalizers hold the object, the deletion mark. The
 * propagation policy decides the garbage collector's finalizers: `Foreground` adds
 * `foregroundDeletion` (the owner waits for its blocking dependents), `Orphan` adds
 * `orphan` (dependents lose their owner reference), `Background` adds none (the
 * collector deletes dependents after the owner is gone; `garbage-collection.ts`).
 */
import type { IncomingMessage } from 'node:http';
import { parseJson, readBody } from './bodies.js';
import { type FieldError, invalid, invalidValue, notSupportedValue } from './field-errors.js';
import { storedOf, viewOf } from './kinds.js';
import { isJsonObject, type JsonObject, metaOf } from './objects.js';
import { badRequest, conflict, deletedStatus, failure, qualifiedResource } from './statuses.js';
import { hasFinalizers, markDeleting } from './write-rules.js';
import {
  admissionRequest,
  currentObject,
  keyOf,
  type ObjectAddress,
  type WriteContext,
  type WriteOptions,
} from './writing.js';

/** The garbage collector's finalizer: dependents are deleted before the owner. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** The garbage collector's finalizer: dependents are orphaned before the owner goes. */
export const ORPHAN_FINALIZER = 'orphan';

/** How dependents are treated when their owner is deleted. */
export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

const POLICIES: readonly string[] = ['Foreground', 'Background', 'Orphan'];

/** How many times a delete is retried when the object keeps changing under admission. */
const MAX_ATTEMPTS = 20;

/** DeleteOptions as the real server reads them from the body or the query. */
export interface DeleteOptions extends WriteOptions {
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: PropagationPolicy;
  readonly orphanDependents?: boolean;
  readonly gracePeriodSeconds?: number;
}

/** The answer to a DELETE: the object (still there, or when the kind returns it) or a Status. */
export interface DeleteOutcome {
  readonly body: JsonObject;
  /** Whether the object is gone now. */
  readonly gone: boolean;
  /** 200, or 202 when cascading deletion was asked with `orphanDependents: false` and it waits. */
  readonly code: 200 | 202;
}

/** ValidateDeleteOptions: a known policy, and not together with the deprecated `orphanDependents`. */
function checkPolicy(policy: unknown, orphanDependents: unknown): void {
  const errors: FieldError[] = [];
  if (policy !== undefined && orphanDependents !== undefined) {
    errors.push(
      invalidValue(
        'propagationPolicy',
        policy,
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (policy !== undefined && !POLICIES.includes(String(policy))) {
    errors.push(notSupportedValue('propagationPolicy', policy, [...POLICIES, 'nil']));
  }
  if (errors.length > 0) throw invalid('meta.k8s.io', 'DeleteOptions', '', errors);
}

/** Reads `dryRun` (only `All`) from the query and the body. */
export function dryRunOf(params: URLSearchParams, fromBody: unknown): boolean {
  const values = [...params.getAll('dryRun'), ...(Array.isArray(fromBody) ? fromBody.map(String) : [])];
  const bad = values.find((value) => value !== 'All');
  if (bad !== undefined)
    throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(bad)}: supported values: "All"`);
  return values.length > 0;
}

/** Reads DeleteOptions from a DELETE request (body first, then query parameters). */
export async function readDeleteOptions(
  req: IncomingMessage,
  params: URLSearchParams,
  base: Omit<WriteOptions, 'dryRun'>,
): Promise<DeleteOptions> {
  const raw = await readBody(req);
  const body = raw.length > 0 ? parseJson(raw) : {};
  if (!isJsonObject(body)) throw badRequest('DeleteOptions must be a JSON object');
  const preconditions = isJsonObject(body.preconditions) ? body.preconditions : undefined;
  const grace = body.gracePeriodSeconds ?? params.get('gracePeriodSeconds') ?? undefined;
  const policy = body.propagationPolicy ?? params.get('propagationPolicy') ?? undefined;
  const orphanText = params.get('orphanDependents');
  const orphan = body.orphanDependents ?? (orphanText === null ? undefined : orphanText === 'true');
  checkPolicy(policy, orphan);
  return {
    ...base,
    dryRun: dryRunOf(params, body.dryRun),
    ...(preconditions
      ? {
          preconditions: {
            ...(preconditions.uid ? { uid: String(preconditions.uid) } : {}),
            ...(preconditions.resourceVersion
              ? { resourceVersion: String(preconditions.resourceVersion) }
              : {}),
          },
        }
      : {}),
    ...(policy !== undefined ? { propagationPolicy: policy as PropagationPolicy } : {}),
    ...(orphan !== undefined ? { orphanDependents: Boolean(orphan) } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: Number(grace) } : {}),
  };
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

/** The finalizers the garbage collector needs, given the options and what the object already asks. */
function collectorFinalizers(current: JsonObject, options: DeleteOptions): string[] {
  const finalizers = metaOf(current).finalizers ?? [];
  const explicit =
    options.propagationPolicy ??
    (options.orphanDependents === undefined ? undefined : options.orphanDependents ? 'Orphan' : 'Background');
  const orphan = explicit === undefined ? finalizers.includes(ORPHAN_FINALIZER) : explicit === 'Orphan';
  const foreground =
    explicit === undefined ? finalizers.includes(FOREGROUND_FINALIZER) : explicit === 'Foreground';
  const kept = finalizers.filter((item) => item !== ORPHAN_FINALIZER && item !== FOREGROUND_FINALIZER);
  return [...kept, ...(orphan ? [ORPHAN_FINALIZER] : []), ...(foreground ? [FOREGROUND_FINALIZER] : [])];
}

function withFinalizers(object: JsonObject, finalizers: readonly string[]): JsonObject {
  const { finalizers: _old, ...meta } = metaOf(object);
  return { ...object, metadata: finalizers.length > 0 ? { ...meta, finalizers: [...finalizers] } : meta };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** DELETE: marks an object that finalizers hold, removes one that nothing holds. */
export async function deleteObject(
  context: WriteContext,
  address: ObjectAddress,
  options: DeleteOptions,
): Promise<DeleteOutcome> {
  const { type } = address;
  const requestOptions: JsonObject = {
    kind: 'DeleteOptions',
    apiVersion: 'meta.k8s.io/v1',
    ...(options.dryRun ? { dryRun: ['All'] } : {}),
    ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
    ...(options.orphanDependents !== undefined ? { orphanDependents: options.orphanDependents } : {}),
    ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
  };
  const accepted = options.orphanDependents === false ? 202 : 200;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const current = currentObject(context, address);
    checkPreconditions(address, current, options);
    const request = admissionRequest('DELETE', address, '', { oldObject: current }, options, requestOptions);
    await context.admission.mutate(request);
    await context.admission.validate(request);
    const key = keyOf(address);
    const latest = context.store.get(type.storage, key);
    if (metaOf(latest ?? {}).resourceVersion !== metaOf(current).resourceVersion) continue;
    const finalizers = collectorFinalizers(current, options);
    const changed = !sameList(finalizers, metaOf(current).finalizers ?? []);
    if (metaOf(current).deletionTimestamp) {
      if (!changed || options.dryRun) return { body: current, gone: false, code: accepted };
      const updated = withFinalizers(current, finalizers);
      return {
        body: viewOf(type, context.store.update(type.storage, key, storedOf(type, updated))),
        gone: false,
        code: accepted,
      };
    }
    const candidate = changed ? withFinalizers(current, finalizers) : current;
    if (hasFinalizers(type, candidate)) {
      const marked = markDeleting(type, candidate, context.now());
      if (options.dryRun) return { body: marked, gone: false, code: accepted };
      const stored = context.store.update(type.storage, key, storedOf(type, marked));
      return { body: viewOf(type, stored), gone: false, code: accepted };
    }
    const last = options.dryRun
      ? current
      : viewOf(type, context.store.remove(type.storage, key, storedOf(type, current)));
    const body = type.rules.returnDeletedObject
      ? last
      : deletedStatus(type.group, type.plural, address.name, metaOf(current).uid ?? '');
    return { body, gone: true, code: 200 };
  }
  throw conflict(type.group, type.plural, address.name);
}
