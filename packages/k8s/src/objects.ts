/**
 * Reading and writing objects: get, paginated list, create, replace, delete and
 * patch, as plain functions over an `ApiClient`. Patches pick their content type
 * explicitly (client-node's defaults are wrong for custom resources) and send
 * `status` to the `/status` subresource only when the resource has one. A vanished
 * object is `undefined`, not an error, where an operator expects races.
 */
import type { KubernetesObject } from '@kopf/core';
import type { ApiClient } from './client.js';
import { ApiConflictError, ApiGoneError, ApiNotFoundError } from './errors.js';
import type { ResourceRef } from './paths.js';
import { resourcePath } from './paths.js';

/** Which object: its name, and its namespace for namespaced resources. */
export interface ObjectRef {
  readonly name: string;
  readonly namespace?: string | undefined;
}

/** Options every call accepts. */
export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

/** Filters and paging of a list. */
export interface ListOptions extends CallOptions {
  /** Omit for all namespaces (or for cluster-scoped resources). */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Objects per page (`limit`); default 500. */
  readonly pageSize?: number | undefined;
}

/** One page of a list. */
export interface ObjectPage<T = KubernetesObject> {
  readonly items: T[];
  /** The list's resourceVersion (the same snapshot for all pages). */
  readonly resourceVersion: string;
  /** Whether more pages follow. */
  readonly more: boolean;
}

/** A complete list: every object and the resourceVersion to watch from. */
export interface ObjectList<T = KubernetesObject> {
  readonly items: T[];
  readonly resourceVersion: string;
}

interface RawList {
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubernetesObject[];
}

/** Reads one object; `undefined` when it does not exist. */
export async function getObject<T extends KubernetesObject = KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  ref: ObjectRef,
  options: CallOptions = {},
): Promise<T | undefined> {
  try {
    return await client.request<T>({
      method: 'GET',
      path: resourcePath(resource, ref),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof ApiNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Lists page by page (`limit` + `continue`): every page is served from the first
 * page's snapshot. Items get `apiVersion` and `kind` when the server left them out
 * (built-in lists do). A continue token that expired raises `ApiGoneError`.
 */
export async function* listPages<T extends KubernetesObject = KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  options: ListOptions = {},
): AsyncGenerator<ObjectPage<T>> {
  let token: string | undefined;
  do {
    const list = await client.request<RawList>({
      method: 'GET',
      path: resourcePath(resource, { namespace: options.namespace }),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.pageSize ?? 500,
        continue: token,
      },
      signal: options.signal,
    });
    token = list.metadata?.continue || undefined;
    const items = (list.items ?? []).map((item) => withTypeMeta(item, resource, list.kind)) as T[];
    yield { items, resourceVersion: list.metadata?.resourceVersion ?? '', more: token !== undefined };
  } while (token !== undefined);
}

/** Lists everything (all pages); restarts once from scratch if a continue token expires. */
export async function listObjects<T extends KubernetesObject = KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  options: ListOptions = {},
): Promise<ObjectList<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const items: T[] = [];
      let resourceVersion = '';
      for await (const page of listPages<T>(client, resource, options)) {
        items.push(...page.items);
        resourceVersion = page.resourceVersion;
      }
      return { items, resourceVersion };
    } catch (error) {
      if (!(error instanceof ApiGoneError) || attempt >= 2) throw error;
    }
  }
}

/** Fills `apiVersion` and `kind` into a list item or watched object that lacks them. */
export function withTypeMeta<T extends KubernetesObject>(
  object: T,
  resource: ResourceRef,
  listKind?: string,
): T {
  if (object.apiVersion && object.kind) return object;
  const kind = object.kind ?? resource.kind ?? listKind?.replace(/List$/, '');
  const apiVersion =
    object.apiVersion ?? (resource.group ? `${resource.group}/${resource.version}` : resource.version);
  return { ...object, apiVersion, ...(kind ? { kind } : {}) };
}

/** Creates an object in its `metadata.namespace` (or `namespace`); 409 if it exists. */
export async function createObject<T extends KubernetesObject = KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  body: T,
  options: CallOptions & { readonly namespace?: string | undefined } = {},
): Promise<T> {
  const namespace = options.namespace ?? body.metadata?.namespace;
  return client.request<T>({
    method: 'POST',
    path: resourcePath(resource, { namespace }),
    body,
    signal: options.signal,
  });
}

/**
 * Replaces an object (PUT). Send `metadata.resourceVersion` for optimistic
 * concurrency: a stale one raises `ApiConflictError`.
 */
export async function replaceObject<T extends KubernetesObject = KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  body: T,
  options: CallOptions & { readonly subresource?: string | undefined } = {},
): Promise<T> {
  const name = body.metadata?.name;
  if (!name) throw new TypeError('Replacing an object failed: the body has no metadata.name.');
  const ref = { name, namespace: body.metadata?.namespace, subresource: options.subresource };
  return client.request<T>({
    method: 'PUT',
    path: resourcePath(resource, ref),
    body,
    signal: options.signal,
  });
}

/** `DeleteOptions` of the Kubernetes API. */
export interface DeleteOptions extends CallOptions {
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun?: boolean;
}

/**
 * Deletes an object. Resolves with the object when it stays (finalizers pending),
 * and with `undefined` when it is gone now or was absent already.
 */
export async function deleteObject<T extends KubernetesObject = KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  ref: ObjectRef,
  options: DeleteOptions = {},
): Promise<T | undefined> {
  const { signal, dryRun, ...rest } = options;
  const body = { apiVersion: 'v1', kind: 'DeleteOptions', ...rest, ...(dryRun ? { dryRun: ['All'] } : {}) };
  try {
    const result = await client.request<KubernetesObject>({
      method: 'DELETE',
      path: resourcePath(resource, ref),
      body,
      signal,
    });
    return result?.kind === 'Status' ? undefined : (result as T);
  } catch (error) {
    if (error instanceof ApiNotFoundError) return undefined;
    throw error;
  }
}

/** How to patch: RFC 7386 merge patch or RFC 6902 JSON patch, and where. */
export interface PatchOptions extends CallOptions {
  readonly type: 'merge' | 'json';
  /** `'status'`: patch the status subresource (or the main body if there is none). */
  readonly subresource?: 'status' | undefined;
}

const CONTENT_TYPES = { merge: 'application/merge-patch+json', json: 'application/json-patch+json' } as const;
const CONFLICT_RETRIES = 3;

/**
 * Patches an object and resolves with its new body, or `undefined` if it is gone.
 *
 * Where the patch goes: a merge patch's `status` goes to `/status` when the
 * resource has the status subresource (the main endpoint would ignore it), the rest
 * to the main endpoint; without the subresource, everything goes to the main body.
 * A JSON patch goes to `/status` only when asked for and served.
 *
 * Errors: a merge patch without a `metadata.resourceVersion` precondition is
 * retried on 409 (re-applying it is safe); a failed JSON-patch `test` raises
 * `ApiUnprocessableError` (422), which callers treat as "re-read and retry".
 */
export async function patchObject<T extends KubernetesObject = KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  ref: ObjectRef,
  patch: unknown,
  options: PatchOptions,
): Promise<T | undefined> {
  try {
    let result: T | undefined;
    for (const part of planPatch(resource, patch, options)) {
      result = await sendPatch<T>(client, resource, ref, part, options);
    }
    return result;
  } catch (error) {
    if (error instanceof ApiNotFoundError) return undefined;
    throw error;
  }
}

interface PatchPart {
  readonly body: unknown;
  readonly subresource: 'status' | undefined;
}

/** Splits a patch between the main endpoint and `/status` (see {@link patchObject}). */
export function planPatch(resource: ResourceRef, patch: unknown, options: PatchOptions): PatchPart[] {
  const hasStatus = resource.subresources?.includes('status') ?? false;
  if (options.type === 'json' || !isPlainObject(patch)) {
    return [
      { body: patch, subresource: options.subresource === 'status' && hasStatus ? 'status' : undefined },
    ];
  }
  if (!hasStatus) return [{ body: patch, subresource: undefined }];
  if (options.subresource === 'status') return [{ body: patch, subresource: 'status' }];
  const { status, ...main } = patch;
  const parts: PatchPart[] = [];
  if (Object.keys(main).length > 0 || status === undefined)
    parts.push({ body: main, subresource: undefined });
  if (status !== undefined) parts.push({ body: { status }, subresource: 'status' });
  return parts;
}

async function sendPatch<T>(
  client: ApiClient,
  resource: ResourceRef,
  ref: ObjectRef,
  part: PatchPart,
  options: PatchOptions,
): Promise<T> {
  const safeToRepeat = options.type === 'merge' && !hasResourceVersion(part.body);
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.request<T>({
        method: 'PATCH',
        path: resourcePath(resource, { ...ref, subresource: part.subresource }),
        body: part.body,
        contentType: CONTENT_TYPES[options.type],
        signal: options.signal,
      });
    } catch (error) {
      if (!(error instanceof ApiConflictError) || !safeToRepeat || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}

function hasResourceVersion(body: unknown): boolean {
  return isPlainObject(body) && isPlainObject(body.metadata) && body.metadata.resourceVersion !== undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
