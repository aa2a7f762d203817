/**
 * WATCH as kube-apiserver serves it: headers flushed at once, then newline-delimited
 * `{"type","object"}` events. Resource version unset or "0" starts with synthetic
 * ADDED events for the current state; N resumes from the history after N (410 Expired
 * as an ERROR event when it is compacted away); `sendInitialEvents=true` ends the
 * initial state with the `k8s.io/initial-events-end` bookmark. Selectors turn changes
 * into ADDED/DELETED when objects enter or leave the selection; bookmarks come
 * periodically and on demand; `timeoutSeconds` closes the stream cleanly.
 */
import type { ServerResponse } from 'node:http';
import type { StoreChange } from './history.js';
import { groupVersionOf, type ResourceType, viewOf } from './kinds.js';
import type { JsonObject } from './objects.js';
import { isSelected, parseSelection, type Selection } from './reading.js';
import { badRequest, failure, type StatusError, tooOldResourceVersion } from './statuses.js';
import type { ObjectStore } from './store.js';
import { type Durability, WatchStream } from './watch-streams.js';

/** The event types on the wire. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** What the watch handler needs from the server. */
export interface WatchContext {
  readonly store: ObjectStore;
  /** Seconds a watch lasts without `timeoutSeconds` (kube-apiserver: 1800–3600, random). */
  readonly defaultTimeoutSeconds: () => number;
  /** Renders an object as the event's object (e.g. a Table row); identity by default. */
  readonly render?: (view: JsonObject) => JsonObject;
  /** Registers the stream so faults, bookmarks and shutdown can reach it. */
  readonly register: (stream: WatchStream, bookmark: () => void) => () => void;
  /** The store's durability, when events must wait for it (persistence). */
  readonly durability?: Durability;
}

/** The parsed watch parameters. */
export interface WatchQuery extends Selection {
  readonly resourceVersion?: string;
  readonly allowBookmarks: boolean;
  /** `sendInitialEvents` as given: `undefined` when absent. */
  readonly sendInitialEvents?: boolean;
  readonly timeoutSeconds?: number;
}

/** Reads the watch parameters (400/422 on bad values, as the real server). */
export function parseWatchQuery(type: ResourceType, namespace: string, params: URLSearchParams): WatchQuery {
  const rv = params.get('resourceVersion') || undefined;
  const timeoutText = params.get('timeoutSeconds');
  const timeoutSeconds = timeoutText ? Number(timeoutText) : undefined;
  if (timeoutSeconds !== undefined && (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0)) {
    throw badRequest(
      `timeoutSeconds: Invalid value: ${JSON.stringify(timeoutText)}: must be a non-negative integer`,
    );
  }
  const initialParam = params.get('sendInitialEvents');
  const sendInitialEvents = initialParam === 'true';
  if (sendInitialEvents && params.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw failure(
      422,
      'Invalid',
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and resourceVersionMatch is set to NotOlderThan',
      { kind: 'ListOptions', group: 'meta.k8s.io' },
    );
  }
  if (rv !== undefined && !/^\d+$/.test(rv)) {
    throw badRequest(`resourceVersion: Invalid value: ${JSON.stringify(rv)}: must be an integer`);
  }
  return {
    ...parseSelection(type, namespace, params),
    ...(rv ? { resourceVersion: rv } : {}),
    allowBookmarks: params.get('allowWatchBookmarks') === 'true',
    ...(initialParam === 'true' || initialParam === 'false' ? { sendInitialEvents } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

const lineCache = new WeakMap<JsonObject, Map<string, string>>();

function eventLine(type: WatchEventType, object: JsonObject, cacheKey?: JsonObject): string {
  if (!cacheKey) return `{"type":"${type}","object":${JSON.stringify(object)}}`;
  const cache = lineCache.get(cacheKey) ?? new Map<string, string>();
  lineCache.set(cacheKey, cache);
  const key = `${type} ${String(object.apiVersion)}`;
  let line = cache.get(key);
  if (line === undefined) {
    line = `{"type":"${type}","object":${JSON.stringify(object)}}`;
    cache.set(key, line);
  }
  return line;
}

/** Turns a store change into the event a watcher with this selection sees, if any. */
export function eventFor(
  type: ResourceType,
  selection: Selection,
  change: StoreChange,
): { type: WatchEventType; view: JsonObject } | undefined {
  const view = viewOf(type, change.object);
  const now = isSelected(type, selection, view);
  const before = change.previous ? isSelected(type, selection, viewOf(type, change.previous)) : false;
  if (change.type === 'ADDED') return now ? { type: 'ADDED', view } : undefined;
  if (change.type === 'DELETED') return before || now ? { type: 'DELETED', view } : undefined;
  if (now && before) return { type: 'MODIFIED', view };
  if (now) return { type: 'ADDED', view };
  if (before) return { type: 'DELETED', view };
  return undefined;
}

function bookmarkObject(type: ResourceType, revision: number, initialEventsEnd: boolean): JsonObject {
  const metadata: JsonObject = { resourceVersion: String(revision) };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind: type.kind, apiVersion: groupVersionOf(type), metadata };
}

function startResponse(res: ServerResponse): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.flushHeaders();
}

type Start =
  | { readonly kind: 'expired' }
  | { readonly kind: 'resume'; readonly changes: readonly StoreChange[] }
  | { readonly kind: 'initial'; readonly endBookmark: boolean }
  | { readonly kind: 'now' };

/** Where a watch starts (api-concepts "semantics for watch"). */
function startOf(store: ObjectStore, type: ResourceType, query: WatchQuery): Start {
  const requested = query.resourceVersion === undefined ? 0 : Number(query.resourceVersion);
  if (query.sendInitialEvents === true) return { kind: 'initial', endBookmark: true };
  if (requested > 0) {
    const changes = store.changesSince(type.storage, requested);
    return changes ? { kind: 'resume', changes } : { kind: 'expired' };
  }
  return query.sendInitialEvents === false ? { kind: 'now' } : { kind: 'initial', endBookmark: false };
}

function sendInitialState(
  context: WatchContext,
  stream: WatchStream,
  type: ResourceType,
  query: WatchQuery,
  endBookmark: boolean,
): void {
  const render = context.render ?? ((view: JsonObject) => view);
  const namespace = type.namespaced && query.namespace ? query.namespace : undefined;
  for (const stored of context.store.list(type.storage, namespace)) {
    const view = viewOf(type, stored);
    if (isSelected(type, query, view)) stream.send(eventLine('ADDED', render(view)), context.store.revision);
  }
  if (endBookmark)
    stream.send(
      eventLine('BOOKMARK', bookmarkObject(type, context.store.revision, true)),
      context.store.revision,
    );
}

/** Keeps the stream registered for faults and bookmarks, and ends it after the timeout. */
function superviseStream(
  context: WatchContext,
  stream: WatchStream,
  type: ResourceType,
  query: WatchQuery,
  unsubscribe: () => void,
): void {
  const bookmark = (): void => {
    if (query.allowBookmarks)
      stream.send(
        eventLine('BOOKMARK', bookmarkObject(type, context.store.revision, false)),
        context.store.revision,
      );
  };
  const unregister = context.register(stream, bookmark);
  const seconds = query.timeoutSeconds || context.defaultTimeoutSeconds();
  const timer = setTimeout(() => {
    if (!stream.stalled) stream.end();
  }, seconds * 1000);
  stream.onClose(() => {
    clearTimeout(timer);
    unsubscribe();
    unregister();
  });
}

/** Serves one watch request until it times out, is dropped, or the client goes away. */
export function serveWatch(
  context: WatchContext,
  res: ServerResponse,
  type: ResourceType,
  query: WatchQuery,
): void {
  const { store } = context;
  const render = context.render ?? ((view: JsonObject) => view);
  const start = startOf(store, type, query);
  startResponse(res);
  const target = { group: type.group, resource: type.plural, namespace: query.namespace };
  const stream = new WatchStream(res, target, query.allowBookmarks, context.durability);
  if (start.kind === 'expired') {
    const error: StatusError = tooOldResourceVersion(Number(query.resourceVersion), store.compactedRevision);
    stream.send(eventLine('ERROR', error.status as unknown as JsonObject));
    stream.end();
    return;
  }
  const deliver = (change: StoreChange): void => {
    const event = eventFor(type, query, change);
    if (!event) return;
    const object = render(event.view);
    stream.send(
      eventLine(event.type, object, object === event.view ? change.object : undefined),
      change.resourceVersion,
    );
  };
  const unsubscribe = store.subscribe(type.storage, deliver);
  if (start.kind === 'resume') for (const change of start.changes) deliver(change);
  if (start.kind === 'initial') sendInitialState(context, stream, type, query, start.endBookmark);
  superviseStream(context, stream, type, query, unsubscribe);
}
