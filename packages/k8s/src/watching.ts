/**
 * List+watch that never silently stalls: list (paginated, or with the server's
 * WatchList: `sendInitialEvents` on the watch itself), then watch from the list's
 * resourceVersion with bookmarks; resume from the last seen resourceVersion
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
import { ApiError, ApiGoneError } from './errors.js';
import { listPages } from './objects.js';
import type { ResourceRef } from './paths.js';
import type { Known } from './watch-requests.js';
import { InactivityError, identity, leanBody, watchRequest } from './watch-requests.js';

/** What a watch delivers. */
export type StreamEvent<T = KubernetesObject> =
  /** An object from the (re-)list: it exists now. */
  | { readonly type: 'LISTED'; readonly object: T }
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  /** Every object of the latest (re-)list has been delivered. */
  | { readonly type: 'SYNCED'; readonly resourceVersion: string };

/** Why a watch request was repeated. */
export type WatchRestartReason =
  /** The stream ended: the server's `timeoutSeconds`, our `clientTimeout`, or a dropped connection. */
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
  /**
   * Get the initial state from the watch itself (`sendInitialEvents`, Kubernetes
   * 1.27+ with the WatchList feature) instead of a list; falls back to listing for
   * good when the server refuses it or never ends the initial events. Default `false`.
   */
  readonly watchList?: boolean | undefined;
  /** A stream with no event (bookmarks count) for this long is restarted; default 70 s (Kopf 1.44). */
  readonly inactivityTimeout?: number | undefined;
  /** `timeoutSeconds` for the server; default: the server's own (30–60 min). */
  readonly serverTimeout?: number | undefined;
  /**
   * The longest one watch request may live on our side (Kopf's `watching.client_timeout`):
   * it is then ended and repeated from the last seen resourceVersion, as when the server
   * closes it (restart reason `closed`). Default: none.
   */
  readonly clientTimeout?: number | undefined;
  /** Seconds to connect for a watch request; default: the client's `connectTimeout`. */
  readonly connectTimeout?: number | undefined;
  /** Pause before re-watching after a normal close or an inactivity restart; default 0.1 s. */
  readonly reconnectBackoff?: number | undefined;
  /** Backoff after errors; default 1 s doubling up to 60 s, with jitter. */
  readonly errorBackoff?: ExponentialBackoff | undefined;
  /**
   * Keep `metadata.managedFields` in the objects; default `false`: they are dropped
   * (they are the API server's bookkeeping, often the larger part of an object).
   */
  readonly keepManagedFields?: boolean | undefined;
  /** Called before every restart of the list or the watch. */
  readonly onRestart?: ((reason: WatchRestartReason, details: WatchRestart) => void) | undefined;
}

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
  let watchList = options.watchList ?? false;
  let errors = 0;
  while (!signal.aborted) {
    let seen: Set<string> | undefined; // objects of an initial state being received
    try {
      if (resourceVersion === undefined && !watchList) {
        resourceVersion = yield* relist<T>(client, resource, options, known);
      }
      if (resourceVersion === undefined) seen = new Set();
      for await (const item of watchRequest<T>(client, resource, options, known, resourceVersion)) {
        if (item.type === 'LISTED') {
          seen?.add(identity(item.object));
          yield item;
        } else if (item.type === 'BOOKMARK' && item.initialEnd && seen) {
          resourceVersion = item.resourceVersion;
          yield* forgetVanished<T>(known, seen);
          seen = undefined;
          yield { type: 'SYNCED', resourceVersion };
        } else if (item.type === 'BOOKMARK') {
          resourceVersion = item.resourceVersion || resourceVersion;
        } else {
          resourceVersion = item.object.metadata?.resourceVersion ?? resourceVersion;
          yield item;
        }
        errors = 0;
      }
      if (signal.aborted) return;
      await restart(options, 'closed', { delay: options.reconnectBackoff ?? 0.1, resourceVersion });
    } catch (error) {
      if (signal.aborted) return;
      const decision = decide(error, options, seen !== undefined, errors);
      errors = decision.reason === 'error' && !decision.listInstead ? errors + 1 : errors;
      if (decision.listInstead) watchList = false; // an older server, or WatchList disabled: from now on
      if (decision.reason === 'expired') resourceVersion = undefined;
      await restart(options, decision.reason, { error, delay: decision.delay, resourceVersion });
    }
  }
}

/** How the watch goes on after an error. */
interface Decision {
  readonly reason: WatchRestartReason;
  readonly delay: number;
  readonly listInstead: boolean;
}

function decide(error: unknown, options: WatchOptions, initialEvents: boolean, errors: number): Decision {
  if (initialEvents && refusesWatchList(error)) return { reason: 'error', delay: 0, listInstead: true };
  if (error instanceof ApiGoneError) return { reason: 'expired', delay: 0, listInstead: false };
  if (error instanceof InactivityError) {
    return { reason: 'inactive', delay: options.reconnectBackoff ?? 0.1, listInstead: false };
  }
  const retryAfter = error instanceof ApiError ? error.retryAfter : undefined;
  const delay = exponentialDelay(errors + 1, options.errorBackoff, retryAfter);
  return { reason: 'error', delay, listInstead: false };
}

/**
 * Whether a failed initial-events watch means the server does not do WatchList:
 * it rejected the parameters (400/422), or it never sent the initial-events-end
 * bookmark (servers before 1.27 ignore `sendInitialEvents`).
 */
function refusesWatchList(error: unknown): boolean {
  return error instanceof InactivityError || (error instanceof ApiError && [400, 422].includes(error.code));
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
    for (const item of page.items) {
      const object = leanBody(item, options.keepManagedFields);
      const uid = identity(object);
      seen.add(uid);
      known.set(uid, object);
      yield { type: 'LISTED', object };
    }
    resourceVersion = page.resourceVersion;
  }
  yield* forgetVanished<T>(known, seen);
  yield { type: 'SYNCED', resourceVersion };
  return resourceVersion;
}

/** A synthetic DELETED (with the last known body) for every known object not seen in a new state. */
function* forgetVanished<T extends KubernetesObject>(
  known: Known,
  seen: Set<string>,
): Generator<StreamEvent<T>> {
  for (const [uid, object] of known) {
    if (seen.has(uid)) continue;
    known.delete(uid);
    yield { type: 'DELETED', object: object as T };
  }
}
