/**
 * `on.event` handlers: called for every watch event of matching objects, raw, with
 * no progress kept and no retries. Errors are logged and ignored (Kopf's default for
 * event handlers); their results still land in `status.<id>`.
 */
import { allAtOnce, type WatchingCause } from '@kopf/core';
import { deliverResults, type ExecutionContext, executeHandlersOnce } from './execution.js';
import type { ResourceContext } from './processing.js';
import { State } from './states.js';

/** Runs all matching event handlers for one event. */
export async function processWatchingCause(
  cause: WatchingCause,
  context: ResourceContext,
  execution: ExecutionContext,
): Promise<void> {
  const handlers = context.handlers.watching(cause);
  if (handlers.length === 0) return;
  const state = State.fromScratch().withHandlers(handlers, context.clock.now());
  const outcomes = await executeHandlersOnce(handlers, cause, state, {
    ...execution,
    lifecycle: allAtOnce,
    defaultErrors: 'ignored',
  });
  deliverResults(outcomes, cause.patch);
}
