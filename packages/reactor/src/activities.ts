/**
 * Operator-wide activities: `on.startup` (before anything is watched; the operator
 * does not start until they all succeed), `on.cleanup` (on a graceful stop),
 * `on.probe` (on demand, for the liveness endpoint) and `on.login`. Activity
 * handlers are retried per their errors mode like any handler, with the progress
 * kept in memory (there is no object to keep it on).
 */
import {
  type Activity,
  type ActivityCause,
  type ApiClient,
  type Handler,
  type HandlerId,
  type Indexes,
  KopfError,
  type Lifecycle,
  type Memo,
  type Registry,
} from '@kopf/core';
import type { Clock } from './clock.js';
import { type ExecutionContext, executeHandlersOnce, type Outcome } from './execution.js';
import { createLogger } from './loggers.js';
import type { LogSink } from './logging.js';
import type { ResolvedSettings } from './settings.js';
import { State } from './states.js';

/** An activity failed for good (a startup handler failed permanently: the operator must not start). */
export class ActivityError extends KopfError {
  override name = 'ActivityError';
  /** The final outcomes of the failed handlers, by id. */
  readonly outcomes: ReadonlyMap<HandlerId, Outcome>;

  constructor(message: string, outcomes: ReadonlyMap<HandlerId, Outcome>) {
    super(message);
    this.outcomes = outcomes;
  }
}

/** What running an activity (startup, cleanup, login, probe) needs from the operator. */
export interface ActivityContext {
  /** The operator's client (the `client` kwarg); absent while logging in. */
  readonly client?: ApiClient | undefined;
  readonly registry: Registry;
  readonly settings: ResolvedSettings;
  readonly clock: Clock;
  readonly lifecycle: Lifecycle;
  readonly memo: Memo;
  readonly indexes: Indexes;
  readonly logs: LogSink;
  readonly signal?: AbortSignal;
}

const HANDLER_KIND: Record<Activity, Handler['kind']> = {
  startup: 'startup',
  cleanup: 'cleanup',
  authentication: 'login',
  probe: 'probe',
};

/**
 * Runs all handlers of an activity until each has succeeded or failed for good,
 * sleeping for the retry delays in between; resolves to the outcomes (their results
 * are the probes' values and the logins' credentials).
 *
 * @throws ActivityError when any handler failed for good.
 */
export async function runActivity(
  activity: Activity,
  context: ActivityContext,
): Promise<Map<HandlerId, Outcome>> {
  const handlers = context.registry
    .activityHandlers(activity)
    .filter((h) => h.kind === HANDLER_KIND[activity]);
  const logger = createLogger({ sink: context.logs, name: 'kopf.activities' });
  const cause: ActivityCause = {
    logger,
    memo: context.memo,
    indexes: context.indexes,
    activity,
    settings: context.settings,
  };
  const execution: ExecutionContext = {
    settings: context.settings,
    clock: context.clock,
    lifecycle: context.lifecycle,
    handlerContext: { settings: context.settings, ...(context.client ? { client: context.client } : {}) },
  };
  const results = new Map<HandlerId, Outcome>();
  let state = State.fromScratch().withHandlers(handlers, context.clock.now());
  while (!state.isDone && !context.signal?.aborted) {
    const outcomes = await executeHandlersOnce(handlers, cause, state, execution);
    for (const [id, outcome] of outcomes) results.set(id, outcome);
    state = state.withOutcomes(outcomes, context.clock.now());
    const delay = state.delay(context.clock.now());
    if (!state.isDone && delay !== undefined) await context.clock.sleep(delay * 1000, context.signal);
  }
  const failed = new Map([...results].filter(([, outcome]) => outcome.final && outcome.error !== undefined));
  if (failed.size > 0) {
    const ids = [...failed.keys()].map((id) => `'${id}'`).join(', ');
    throw new ActivityError(`Activity ${activity} failed with ${ids}; see the log above.`, failed);
  }
  return results;
}
