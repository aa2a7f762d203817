/**
 * One watch request and what comes out of it: the raw lines turned into typed
 * items, duplicates dropped, a per-event inactivity timer, and 410 Gone or other
 * ERROR events raised as errors. With `sendInitialEvents` (the server's WatchList)
 * the request starts with the current state as ADDED events, reported here as
 * LISTED until the `k8s.io/initial-events-end` bookmark. The loop that repeats
 * requests is `watching.ts`.
 */
import type { KubernetesObject } from '@kopf/core';
import type { ApiClient } from './client.js';
import { apiErrorFor } from './errors.js';
import { withTypeMeta } from './objects.js';
import type { ResourceRef } from './paths.js';
import { resourcePath } from './paths.js';
import type { WatchOptions } from './watching.js';

/** The abort reason used when a stream has been silent too long. */
export class InactivityError extends Error {
  override name = 'InactivityError';
}

/** The abort reason used when a stream has lived for the client's `clientTimeout`: an ordinary end. */
class ClientTimeoutReached extends Error {
  override name = 'ClientTimeoutReached';
}

/** Per-watch memory: the last known body (and so resourceVersion) of every object. */
export type Known = Map<string, KubernetesObject>;

/** What one watch request needs of the watch's options. */
export type RequestOptions = Pick<
  WatchOptions,
  | 'signal'
  | 'namespace'
  | 'labelSelector'
  | 'fieldSelector'
  | 'inactivityTimeout'
  | 'serverTimeout'
  | 'clientTimeout'
  | 'connectTimeout'
  | 'keepManagedFields'
>;

/**
 * The body as watchers keep it: without `metadata.managedFields` unless asked for
 * (as controller-runtime's caches do by default). They are bookkeeping of the API
 * server's field managers, often the largest part of an object, and operators
 * (and Kopf's essence) never read them.
 */
export function leanBody<T extends KubernetesObject>(object: T, keepManagedFields = false): T {
  if (keepManagedFields || object.metadata?.managedFields === undefined) return object;
  const { managedFields: _, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** What one request yields. */
export type WatchItem<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'LISTED'; readonly object: T }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string; readonly initialEnd: boolean };

interface RawWatchEvent {
  readonly type?: string;
  readonly object?: KubernetesObject & { code?: number };
}

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** The object's uid, or namespace/name for objects without one. */
export function identity(object: KubernetesObject): string {
  const meta = object.metadata;
  return meta?.uid ?? `${meta?.namespace ?? ''}/${meta?.name ?? ''}`;
}

/**
 * One watch request from `resourceVersion`, or — when it is `undefined` — from the
 * current state with `sendInitialEvents`. Returns when the server closes the
 * stream or `clientTimeout` has passed; throws `ApiGoneError` on 410,
 * `InactivityError` when silent too long, and other errors as they come.
 */
export async function* watchRequest<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  options: RequestOptions,
  known: Known,
  resourceVersion: string | undefined,
): AsyncGenerator<WatchItem<T>> {
  const controller = new AbortController();
  const forward = (): void => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', forward, { once: true });
  if (options.signal.aborted) forward();
  const inactivity = (options.inactivityTimeout ?? 70) * 1000;
  const lifetime = lifetimeTimer(options.clientTimeout, controller);
  let initial = resourceVersion === undefined;
  try {
    const stream = await client.stream({
      method: 'GET',
      path: resourcePath(resource, { namespace: options.namespace }),
      query: {
        watch: true,
        resourceVersion,
        allowWatchBookmarks: true,
        ...(initial ? { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' } : {}),
        timeoutSeconds: options.serverTimeout,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      },
      signal: controller.signal,
      timeout: inactivity, // for the response headers; the body is timed per event below
      ...(options.connectTimeout !== undefined ? { connectTimeout: options.connectTimeout * 1000 } : {}),
    });
    for await (const raw of withInactivityTimeout(stream, inactivity, controller)) {
      const item = interpret<T>(raw as RawWatchEvent, resource, known, initial, options.keepManagedFields);
      if (item?.type === 'BOOKMARK' && item.initialEnd) initial = false;
      if (item) yield item;
    }
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof ClientTimeoutReached && !options.signal.aborted) return;
    if (reason instanceof InactivityError && !options.signal.aborted) throw reason;
    throw error;
  } finally {
    clearTimeout(lifetime);
    options.signal.removeEventListener('abort', forward);
    controller.abort();
  }
}

/** Ends the request after `clientTimeout` seconds (Kopf's `watching.client_timeout`), if set. */
function lifetimeTimer(
  clientTimeout: number | undefined,
  controller: AbortController,
): NodeJS.Timeout | undefined {
  if (clientTimeout === undefined) return undefined;
  return setTimeout(() => {
    controller.abort(new ClientTimeoutReached(`The watch request has lived for ${clientTimeout} s.`));
  }, clientTimeout * 1000);
}

/**
 * Iterates a stream, aborting `controller` if one value takes longer than
 * `timeout` ms to arrive. Only the waiting for the server is timed: a slow
 * consumer never trips it.
 */
async function* withInactivityTimeout<V>(
  stream: AsyncIterable<V>,
  timeout: number,
  controller: AbortController,
): AsyncGenerator<V> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    while (true) {
      const timer = setTimeout(() => {
        controller.abort(new InactivityError(`No watch events for ${timeout / 1000} s.`));
      }, timeout);
      let next: IteratorResult<V>;
      try {
        next = await iterator.next();
      } finally {
        clearTimeout(timer);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/** Turns a raw watch line into an item; updates the known objects; drops duplicates. */
function interpret<T extends KubernetesObject>(
  raw: RawWatchEvent,
  resource: ResourceRef,
  known: Known,
  initial: boolean,
  keepManagedFields: boolean | undefined,
): WatchItem<T> | undefined {
  const object = raw.object && raw.type !== 'ERROR' ? leanBody(raw.object, keepManagedFields) : raw.object;
  switch (raw.type) {
    case 'BOOKMARK': {
      const initialEnd = object?.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true';
      return { type: 'BOOKMARK', resourceVersion: object?.metadata?.resourceVersion ?? '', initialEnd };
    }
    case 'ERROR':
      throw apiErrorFor(object?.code ?? 500, object, `WATCH ${resourcePath(resource)}`);
    case 'ADDED':
    case 'MODIFIED': {
      if (!object) return undefined;
      const uid = identity(object);
      const version = object.metadata?.resourceVersion;
      const previous = known.get(uid);
      const duplicate = previous && version !== undefined && previous.metadata?.resourceVersion === version;
      if (duplicate && !initial) return undefined;
      const typed = withTypeMeta(object, resource) as T;
      known.set(uid, typed);
      return { type: initial ? 'LISTED' : raw.type, object: typed };
    }
    case 'DELETED': {
      if (!object) return undefined;
      known.delete(identity(object));
      return { type: 'DELETED', object: withTypeMeta(object, resource) as T };
    }
    default:
      return undefined;
  }
}
