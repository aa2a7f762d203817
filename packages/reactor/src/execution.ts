/**
 * Executing handlers once: pick the due ones with the lifecycle, call each with
 * its kwargs in its handler context, and turn what happened into an outcome —
 * success with a result, a temporary failure with a delay, or a final failure —
 * with Kopf's log lines ("Handler 'x' succeeded.", "… failed temporarily: …").
 * Errors of handlers never escape from here. Sub-handlers run through the same
 * code, their progress kept beside their parent's.
 */
import {
  type Cause,
  type ChangingCause,
  type ChangingHandler,
  type DaemonStopped,
  describeHandler,
  type ErrorsMode,
  type Handler,
  HandlerChildrenRetryError,
  type HandlerContext,
  type HandlerId,
  HandlerRetriesError,
  HandlerTimeoutError,
  invokeHandler,
  type Lifecycle,
  type Logger,
  type Patch,
  PermanentError,
  Registry,
  Subhandlers,
  TemporaryError,
} from '@kopf/core';
import { checkStorable, formatSeconds, withinTimeout } from './attempt-guards.js';
import type { Clock } from './clock.js';
import type { HandlerOutcome, HandlerState } from './handler-states.js';
import type { ResolvedSettings } from './settings.js';
import { State } from './states.js';
import { messageOf, recordableThrown } from './thrown-values.js';

/** A handler's outcome plus its result (stored in `status.<id>` on success). */
export interface Outcome extends HandlerOutcome {
  readonly result?: unknown;
  /** The line logged about this attempt ("Handler 'x' succeeded."); also the Event's message. */
  readonly report: string;
}

/** Told about every attempt: the handler, what came of it, its retry number and duration (seconds). */
export type AttemptObserver = (
  handler: Handler,
  outcome: Outcome,
  attempt: { readonly retry: number; readonly duration: number },
) => void;

/** What executing handlers needs besides the handlers, the cause and the state. */
export interface ExecutionContext {
  readonly settings: ResolvedSettings;
  readonly clock: Clock;
  readonly lifecycle: Lifecycle;
  /** Extra handler context: the event sink, the settings. */
  readonly handlerContext?: HandlerContext;
  /** The errors mode of handlers that set none. */
  readonly defaultErrors?: ErrorsMode;
  /** Daemons and timers: their stop flag (the `stopped` kwarg). */
  readonly stopped?: DaemonStopped;
  /** Told about every attempt (handler events and metrics). */
  readonly onAttempt?: AttemptObserver;
  /**
   * The results go to `status.<id>`, so one that JSON cannot hold, or too big for an
   * object, fails the handler for good; indexes, activities and admission keep theirs in memory.
   */
  readonly storesResults?: boolean;
}

/**
 * Runs the due handlers that the lifecycle picks for this cycle, in order, one at a
 * time; resolves to their outcomes by handler id.
 */
export async function executeHandlersOnce(
  handlers: readonly Handler[],
  cause: Cause & { readonly logger: Logger },
  state: State,
  context: ExecutionContext,
): Promise<Map<HandlerId, Outcome>> {
  const now = context.clock.now();
  const due = handlers.filter((handler) => state.get(handler.id)?.isAwake(now) ?? true);
  const plan = context.lifecycle(due, { state: { get: (id) => state.get(id) } });
  const outcomes = new Map<HandlerId, Outcome>();
  for (const handler of plan) {
    const handlerState = state.get(handler.id);
    const started = performance.now();
    const outcome = await executeHandlerOnce(handler, cause, handlerState, context);
    outcomes.set(handler.id, outcome);
    const duration = (performance.now() - started) / 1000;
    context.onAttempt?.(handler, outcome, { retry: handlerState?.retries ?? 0, duration });
  }
  return outcomes;
}

/** Runs one handler once and classifies what happened. Never throws for handler errors. */
export async function executeHandlerOnce(
  handler: Handler,
  cause: Cause & { readonly logger: Logger },
  handlerState: HandlerState | undefined,
  context: ExecutionContext,
): Promise<Outcome> {
  const { logger } = cause;
  const now = context.clock.now();
  const retry = handlerState?.retries ?? 0;
  const runtime = handlerState?.runtime(now) ?? 0;
  const started = handlerState?.started.toDate() ?? new Date(now);
  const subrefs = new Set<HandlerId>();
  const title = describeHandler(handler);
  try {
    logger.debug(`${title} is invoked.`);
    if (handler.timeout !== undefined && runtime >= handler.timeout) {
      throw new HandlerTimeoutError(`${title} has timed out after ${formatSeconds(runtime)}.`);
    }
    if (handler.retries !== undefined && retry >= handler.retries) {
      throw new HandlerRetriesError(`${title} has exceeded ${retry} retries.`);
    }
    const handlerContext: HandlerContext = {
      ...context.handlerContext,
      ...subhandlersFor(handler, cause, context, subrefs),
    };
    const invocation = { retry, started, runtime, ...(context.stopped ? { stopped: context.stopped } : {}) };
    const call = invokeHandler(handler, cause, invocation, handlerContext);
    const result = await withinTimeout(call, handler, runtime, { title, logger, clock: context.clock });
    if (context.storesResults) checkStorable(result);
    const report = `${title} succeeded.`;
    logger.info(report);
    return { final: true, result, subrefs: [...subrefs], report };
  } catch (error) {
    return classifyFailure(recordableThrown(error), {
      handler,
      title,
      retry,
      runtime,
      logger,
      context,
      subrefs: [...subrefs],
    });
  }
}

interface FailureContext {
  readonly handler: Handler;
  readonly title: string;
  readonly retry: number;
  readonly runtime: number;
  readonly logger: Logger;
  readonly context: ExecutionContext;
  readonly subrefs: readonly HandlerId[];
}

/** Kopf's decision table for a failed attempt, with its exact log lines. */
function classifyFailure(error: unknown, failure: FailureContext): Outcome {
  const { handler, title, retry, runtime, logger, subrefs } = failure;
  const text = messageOf(error);
  if (error instanceof HandlerChildrenRetryError) {
    const report = `${title} has unfinished sub-handlers. Will retry soon.`;
    logger.debug(report);
    return { final: false, error, delay: error.delay, subrefs, report };
  }
  if (error instanceof TemporaryError) {
    const limit = lookahead(handler, runtime + error.delay, retry);
    if (limit === 'timeout') {
      const message = `${title} failed temporarily but will time out after ${handler.timeout} seconds: ${text}`;
      logger.error(message);
      return { final: true, error: new HandlerTimeoutError(message), subrefs, report: message };
    }
    if (limit === 'retries') {
      const message = `${title} failed temporarily but will exceed ${handler.retries} retries: ${text}`;
      logger.error(message);
      return { final: true, error: new HandlerRetriesError(message), subrefs, report: message };
    }
    const report = `${title} failed temporarily: ${text}`;
    logger.error(report);
    return { final: false, error, delay: error.delay, subrefs, report };
  }
  if (error instanceof HandlerTimeoutError || error instanceof HandlerRetriesError) {
    logger.error(text);
    return { final: true, error, subrefs, report: text };
  }
  if (error instanceof PermanentError) {
    const report = `${title} failed permanently: ${text}`;
    logger.error(report);
    return { final: true, error, subrefs, report };
  }
  return classifyArbitrary(error, failure, text);
}

function classifyArbitrary(error: unknown, failure: FailureContext, text: string): Outcome {
  const { handler, title, retry, runtime, logger, context, subrefs } = failure;
  const mode = handler.errors ?? context.defaultErrors ?? 'temporary';
  const backoff = handler.backoff ?? context.settings.execution.defaultBackoff;
  const limit = lookahead(handler, runtime + backoff, retry);
  // The stack of an Error is worth a log detail; anything else thrown is in the text already.
  const detail = error instanceof Error ? [error] : [];
  if (mode === 'ignored') {
    const report = `${title} failed with an exception and will ignore it: ${text}`;
    logger.error(report, ...detail);
    return { final: true, subrefs, report };
  }
  if (mode === 'temporary' && limit === 'timeout') {
    const message =
      `${title} failed with an exception and will stop now ` +
      `(it would time out in ${handler.timeout} seconds on the next attempt): ${text}`;
    logger.error(message, ...detail);
    return {
      final: true,
      error: new HandlerTimeoutError(message, { cause: error }),
      subrefs,
      report: message,
    };
  }
  if (mode === 'temporary' && limit === 'retries') {
    const message =
      `${title} failed with an exception and will stop now ` +
      `(it would exceed ${handler.retries} retries on the next attempt): ${text}`;
    logger.error(message, ...detail);
    return {
      final: true,
      error: new HandlerRetriesError(message, { cause: error }),
      subrefs,
      report: message,
    };
  }
  if (mode === 'temporary') {
    const report = `${title} failed with an exception and will try again in ${backoff} seconds: ${text}`;
    logger.error(report, ...detail);
    return { final: false, error, delay: backoff, subrefs, report };
  }
  const report = `${title} failed with an exception and will stop now: ${text}`;
  logger.error(report, ...detail);
  return { final: true, error, subrefs, report };
}

/** Would the next attempt break the handler's `timeout` or `retries`? (Kopf's look-ahead.) */
function lookahead(handler: Handler, nextRuntime: number, retry: number): 'timeout' | 'retries' | undefined {
  if (handler.timeout !== undefined && nextRuntime >= handler.timeout) return 'timeout';
  if (handler.retries !== undefined && retry + 1 >= handler.retries) return 'retries';
  return undefined;
}

/**
 * For changing handlers: the per-invocation sub-handlers, whose runner executes the
 * children with their progress stored beside the parent's and reports every
 * descendant into `subrefs` (the parent's record lists them).
 */
function subhandlersFor(
  handler: Handler,
  cause: Cause,
  context: ExecutionContext,
  subrefs: Set<HandlerId>,
): Pick<HandlerContext, 'subhandlers'> {
  if (!('reason' in cause) || handler.kind === 'event' || !isChanging(handler)) return {};
  const changing = cause as ChangingCause;
  const subhandlers = new Subhandlers(handler, async (children, { lifecycle }) => {
    const state = await runChildren(children, changing, {
      ...context,
      lifecycle: lifecycle ?? context.lifecycle,
    });
    for (const id of state.ids()) subrefs.add(id);
    if (!state.isDone)
      throw new HandlerChildrenRetryError('Sub-handlers are not finished yet.', {
        delay: state.delay(context.clock.now()) ?? 0,
      });
  });
  return { subhandlers };
}

function isChanging(handler: Handler): handler is ChangingHandler {
  return ['create', 'update', 'delete', 'resume', 'field', 'subhandler'].includes(handler.kind);
}

async function runChildren(
  children: readonly ChangingHandler[],
  cause: ChangingCause,
  context: ExecutionContext,
): Promise<State> {
  const storage = context.settings.persistence.progressStorage;
  const registry = new Registry();
  for (const child of children) registry.add(child);
  const selected = registry.forResource(() => true).changing(cause);
  const now = context.clock.now();
  let state = State.fromStorage({ body: cause.body, storage, handlers: children, now });
  state = state.withPurpose(reasonOf(cause)).withHandlers(selected, now);
  const outcomes = await executeHandlersOnce(selected, cause, state, context);
  state = state.withOutcomes(outcomes, context.clock.now());
  state.storeInto({ body: cause.body, patch: cause.patch, storage });
  deliverResults(outcomes, cause.patch);
  return state;
}

function reasonOf(cause: ChangingCause): 'create' | 'update' | 'delete' | 'resume' | undefined {
  const reason = cause.reason;
  return reason === 'create' || reason === 'update' || reason === 'delete' || reason === 'resume'
    ? reason
    : undefined;
}

/**
 * Puts successful handlers' results into `status.<id>` (Kopf's `deliver_results`):
 * objects are merged into what is there, other values replace it; nothing for
 * `undefined` or failures.
 */
export function deliverResults(outcomes: ReadonlyMap<HandlerId, Outcome>, patch: Patch): void {
  for (const [id, outcome] of outcomes) {
    if (!outcome.final || outcome.error !== undefined || outcome.result === undefined) continue;
    const result = outcome.result;
    const current = patch.status[id];
    const isPlain = (value: unknown): value is Record<string, unknown> =>
      typeof value === 'object' && value !== null && !Array.isArray(value);
    patch.status[id] = isPlain(result) && isPlain(current) ? { ...current, ...result } : result;
  }
}
