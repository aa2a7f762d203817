/**
 * List+watch that never silently stalls: list (paginated), then watch from the
 * list's resourceVersion with bookmarks; resume from the last seen resourceVersion
 * after a dropped stream; re-list on 410 Gone (HTTP or ERROR event) and report
 * objects that vanished meanwhile as synthetic DELETED; restart a stream that has
 * been silent for `inactivityTimeout`; back off exponentially with jitter on
 * errors. It ends only when the caller's `signal` aborts (or the caller stops
 * iterating). Memory per watch: uid → last body, for the synthetic deletions.
 */
import type { KubernetesObject } from '@kopf/core';
import type { ApiClient } from './client.js';
import type { ExponentialBackoff } from './delays.js';
import { exponentialDelay, sleep } from './delays.js';
import { ApiError, ApiGoneError, apiErrorFor } from './errors.js';
import { listPages, withTypeMeta } from './objects.js';
import type { ResourceRef } from './paths.js';
import { resourcePath } from './paths.js';

/** What a watch delivers. */
export type StreamEvent<T = KubernetesObject> =
  /** An object from the (re-)list: it exists now. */
  | { readonly type: 'LISTED'; readonly object: T }
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  /** Every object of the latest (re-)list has been delivered. */
  | { readonly type: 'SYNCED'; readonly resourceVersion: string };

/** Why a watch request was repeated. */
export type WatchRestartReason =
  /** The server closed the stream (its `timeoutSeconds`, or a dropped connection). */
  | 'closed'
  /** 410 Gone: the resourceVersion is too old; the watch lists again. */
  | 'expired'
  /** Nothing arrived for `inactivityTimeout`; the stream was abandoned. */
  | 'inactive'
  /** A request failed; the watch backs off before repeating it. */
  | 'error';

/** Details of a restart, for logs. */
export interface WatchRestart {
  readonly error?: unknown;
  /** Seconds until the next request. */
  readonly delay: number;
  /** Where the next watch resumes from; `undefined` when it lists again. */
  readonly resourceVersion: string | undefined;
}

/** What to watch and how patiently. Durations in seconds. */
export interface WatchOptions {
  /** Stops the watch (the iteration ends quietly). */
  readonly signal: AbortSignal;
  /** Omit for all namespaces (or for cluster-scoped resources). */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Objects per list page; default 500. */
  readonly pageSize?: number | undefined;
  /** A stream with no event (bookmarks count) for this long is restarted; default 70 s (Kopf 1.44). */
  readonly inactivityTimeout?: number | undefined;
  /** `timeoutSeconds` for the server; default: the server's own (30–60 min). */
  readonly serverTimeout?: number | undefined;
  /** Pause before re-watching after a normal close or an inactivity restart; default 0.1 s. */
  readonly reconnectBackoff?: number | undefined;
  /** Backoff after errors; default 1 s doubling up to 60 s, with jitter. */
  readonly errorBackoff?: ExponentialBackoff | undefined;
  /** Called before every restart of the list or the watch. */
  readonly onRestart?: ((reason: WatchRestartReason, details: WatchRestart) => void) | undefined;
}

/** The abort reason used internally when a stream has been silent too long. */
class InactivityError extends Error {
  override name = 'InactivityError';
}

interface RawWatchEvent {
  readonly type?: string;
  readonly object?: KubernetesObject & { code?: number };
}

/** Per-watch memory: the last known body and resourceVersion of every object. */
type Known = Map<string, KubernetesObject>;

/**
 * Lists and watches a resource forever (until `signal` aborts), as one
 * async-iterable of typed events; see the module comment for the guarantees.
 *
 * @example
 * for await (const event of watchObjects(client, resource, { signal })) {
 *   if (event.type === 'SYNCED') console.log('in sync at', event.resourceVersion);
 *   else console.log(event.type, event.object.metadata?.name);
 * }
 */
export async function* watchObjects<T extends KubernetesObject = KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  options: WatchOptions,
): AsyncGenerator<StreamEvent<T>> {
  const { signal } = options;
  const known: Known = new Map();
  let resourceVersion: string | undefined;
  let errors = 0;
  while (!signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        resourceVersion = yield* relist<T>(client, resource, options, known);
      }
      for await (const event of watchOnce<T>(client, resource, options, known, resourceVersion)) {
        if (event.type === 'BOOKMARK') resourceVersion = event.resourceVersion || resourceVersion;
        else {
          resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
          yield event as StreamEvent<T>;
        }
        errors = 0;
      }
      errors = 0;
      if (signal.aborted) return;
      await restart(options, 'closed', { delay: options.reconnectBackoff ?? 0.1, resourceVersion });
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiGoneError) {
        resourceVersion = undefined;
        await restart(options, 'expired', { error, delay: 0, resourceVersion });
      } else if (error instanceof InactivityError) {
        await restart(options, 'inactive', {
          error,
          delay: options.reconnectBackoff ?? 0.1,
          resourceVersion,
        });
      } else {
        errors++;
        const retryAfter = error instanceof ApiError ? error.retryAfter : undefined;
        const delay = exponentialDelay(errors, options.errorBackoff, retryAfter);
        await restart(options, 'error', { error, delay, resourceVersion });
      }
    }
  }
}

async function restart(
  options: WatchOptions,
  reason: WatchRestartReason,
  details: WatchRestart,
): Promise<void> {
  try {
    options.onRestart?.(reason, details);
  } catch {
    // An observer's failure must not stop the watch.
  }
  try {
    await sleep(details.delay, options.signal);
  } catch {
    // Aborted: the caller's loop sees `signal.aborted` and ends.
  }
}

/**
 * Lists all objects: LISTED for each, a synthetic DELETED (last known body) for
 * each known object missing from the list, then SYNCED. Returns the list's
 * resourceVersion.
 */
async function* relist<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  options: WatchOptions,
  known: Known,
): AsyncGenerator<StreamEvent<T>, string> {
  const seen = new Set<string>();
  let resourceVersion = '';
  for await (const page of listPages<T>(client, resource, options)) {
    for (const object of page.items) {
      const uid = identity(object);
      seen.add(uid);
      known.set(uid, object);
      yield { type: 'LISTED', object };
    }
    resourceVersion = page.resourceVersion;
  }
  for (const [uid, object] of known) {
    if (seen.has(uid)) continue;
    known.delete(uid);
    yield { type: 'DELETED', object: object as T };
  }
  yield { type: 'SYNCED', resourceVersion };
  return resourceVersion;
}

type WatchItem<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string };

/**
 * One watch request from `resourceVersion`: yields object events and bookmarks,
 * returns when the server closes the stream, throws `ApiGoneError` on 410,
 * `InactivityError` when silent too long, and other errors as they come.
 */
async function* watchOnce<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  options: WatchOptions,
  known: Known,
  resourceVersion: string,
): AsyncGenerator<WatchItem<T>> {
  const controller = new AbortController();
  const forward = (): void => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', forward, { once: true });
  if (options.signal.aborted) forward();
  const inactivity = (options.inactivityTimeout ?? 70) * 1000;
  try {
    const stream = await client.stream({
      method: 'GET',
      path: resourcePath(resource, { namespace: options.namespace }),
      query: {
        watch: true,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: options.serverTimeout,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      },
      signal: controller.signal,
      timeout: inactivity, // for the response headers; the body is timed per event below
    });
    for await (const raw of withInactivityTimeout(stream, inactivity, controller)) {
      const item = interpret<T>(raw as RawWatchEvent, resource, known);
      if (item) yield item;
    }
  } catch (error) {
    if (controller.signal.reason instanceof InactivityError && !options.signal.aborted) {
      throw controller.signal.reason;
    }
    throw error;
  } finally {
    options.signal.removeEventListener('abort', forward);
    controller.abort();
  }
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
): WatchItem<T> | undefined {
  const object = raw.object;
  switch (raw.type) {
    case 'BOOKMARK':
      return { type: 'BOOKMARK', resourceVersion: object?.metadata?.resourceVersion ?? '' };
    case 'ERROR':
      throw apiErrorFor(object?.code ?? 500, object, `WATCH ${resourcePath(resource)}`);
    case 'ADDED':
    case 'MODIFIED': {
      if (!object) return undefined;
      const uid = identity(object);
      const previous = known.get(uid);
      const version = object.metadata?.resourceVersion;
      if (previous && version !== undefined && previous.metadata?.resourceVersion === version)
        return undefined;
      const typed = withTypeMeta(object, resource) as T;
      known.set(uid, typed);
      return { type: raw.type, object: typed };
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

/** The object's uid, or namespace/name for objects without one. */
function identity(object: KubernetesObject): string {
  const meta = object.metadata;
  return meta?.uid ?? `${meta?.namespace ?? ''}/${meta?.name ?? ''}`;
}
