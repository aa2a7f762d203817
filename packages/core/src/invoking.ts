/**
 * Building a handler's kwargs from a cause, and calling the handler with them in
 * its handler context. Each kind gets exactly its kwargs; field-bound changing
 * handlers get `old`/`new`/`diff` reduced to their field (filter callbacks still
 * see the whole cause, as in Kopf). The reactor decides when to call and what to
 * do with the outcome; this module only prepares and makes the call.
 */
import type { Body } from './bodies.js';
import type {
  ActivityCause,
  ChangingCause,
  IndexingCause,
  ResourceCause,
  SpawningCause,
  WatchingCause,
  WebhookCause,
} from './causes.js';
import type { ApiClient } from './clients.js';
import { currentHandlerContext, type HandlerContext, runInHandlerContext } from './contexts.js';
import { reduceDiff, resolveField } from './diffs.js';
import { HANDLER_CATEGORIES, type Handler } from './handlers.js';
import type { DaemonStopped } from './stoppers.js';

/** Any cause. */
export type Cause =
  | ActivityCause
  | ChangingCause
  | WatchingCause
  | SpawningCause
  | IndexingCause
  | WebhookCause;

/** What the reactor knows about this attempt. */
export interface Invocation {
  /** 0 on the first attempt. */
  readonly retry: number;
  /** The first attempt's time. */
  readonly started: Date;
  /** Seconds since the first attempt. */
  readonly runtime: number;
  /** Daemons and timers: their stop flag. */
  readonly stopped?: DaemonStopped;
  /** The operator's API client (the `client` kwarg); taken from the handler context when not given. */
  readonly client?: ApiClient;
}

/** Kwargs as a plain record (the typed views are in `kwargs.ts`). */
export type KwargsRecord = Readonly<Record<string, unknown>>;

function resourceKwargs(cause: ResourceCause): Record<string, unknown> {
  const body: Body = cause.body;
  const meta = body.metadata ?? {};
  return {
    logger: cause.logger,
    memo: cause.memo,
    indexes: cause.indexes,
    resource: cause.resource,
    body,
    spec: body.spec ?? {},
    meta,
    status: body.status ?? {},
    uid: meta.uid,
    name: meta.name,
    namespace: meta.namespace,
    labels: meta.labels ?? {},
    annotations: meta.annotations ?? {},
    patch: cause.patch,
  };
}

/**
 * The kwargs that filter callbacks (`when`, label/value callbacks) of `handler`
 * receive for `cause`: everything but `param`, `retry`, `started`, `runtime`.
 *
 * @example
 * const kwargs = causeKwargs(handler, cause); // { body, spec, name, …, reason, diff, old, new }
 */
export function causeKwargs(handler: Handler, cause: Cause): KwargsRecord {
  switch (HANDLER_CATEGORIES[handler.kind]) {
    case 'activity': {
      const { logger, memo, indexes, activity, settings } = cause as ActivityCause;
      return { logger, memo, indexes, activity, settings };
    }
    case 'changing': {
      const changing = cause as ChangingCause;
      const { reason, diff, old, new: fresh } = changing;
      return { ...resourceKwargs(changing), reason, diff, old, new: fresh };
    }
    case 'watching': {
      const watching = cause as WatchingCause;
      return { ...resourceKwargs(watching), type: watching.type, event: watching.event };
    }
    case 'webhook': {
      const { dryrun, warnings, userinfo, headers, sslpeer, operation, subresource, old, diff } =
        cause as WebhookCause;
      const fresh = (cause as WebhookCause).new;
      return {
        ...resourceKwargs(cause as WebhookCause),
        ...{ dryrun, warnings, userinfo, headers, sslpeer, operation, subresource, old, new: fresh, diff },
      };
    }
    default:
      return resourceKwargs(cause as ResourceCause);
  }
}

/**
 * The full kwargs of an invocation: the cause kwargs (reduced to the handler's
 * field for field-bound changing handlers), `param`, `retry`, `started`, `runtime`,
 * and `stopped` for daemons and timers.
 */
export function handlerKwargs(handler: Handler, cause: Cause, invocation: Invocation): KwargsRecord {
  const kwargs: Record<string, unknown> = {
    ...causeKwargs(handler, cause),
    param: handler.param,
    retry: invocation.retry,
    started: invocation.started,
    runtime: invocation.runtime,
    client: invocation.client,
  };
  const category = HANDLER_CATEGORIES[handler.kind];
  if (category === 'changing' && 'field' in handler && handler.field !== undefined) {
    const changing = cause as ChangingCause;
    kwargs.old = resolveField(changing.old, handler.field);
    kwargs.new = resolveField(changing.new, handler.field);
    kwargs.diff = reduceDiff(changing.diff, handler.field);
  }
  if (category === 'spawning') kwargs.stopped = invocation.stopped;
  return Object.freeze(kwargs);
}

/**
 * Calls a handler with its kwargs inside its handler context (the object as `body`,
 * plus whatever `context` adds: the event sink, settings, sub-handlers). When the
 * context has sub-handlers that the handler did not `execute()` itself, they are
 * executed right after it returns, still inside (Kopf's implicit execution), so an
 * unfinished child surfaces as `HandlerChildrenRetryError` from this call.
 *
 * @returns what the handler returned (awaited).
 * @example
 * const result = await invokeHandler(handler, cause, { retry: 0, started: now, runtime: 0 }, { eventSink });
 */
export async function invokeHandler(
  handler: Handler,
  cause: Cause,
  invocation: Invocation,
  context: HandlerContext = {},
): Promise<unknown> {
  const client = invocation.client ?? context.client ?? currentHandlerContext()?.client;
  const kwargs = handlerKwargs(handler, cause, { ...invocation, client });
  const body = 'body' in cause ? cause.body : undefined;
  // Sub-handlers are per invocation: never inherit a parent's (a child declaring its own gets new ones).
  const own = { ...context, handler, subhandlers: context.subhandlers, ...(body ? { body } : {}) };
  return runInHandlerContext(own, async () => {
    const result = await (handler.fn as (kwargs: KwargsRecord) => unknown)(kwargs);
    if (context.subhandlers && !context.subhandlers.executed) await context.subhandlers.execute();
    return result;
  });
}
