/**
 * Executing handlers once, as `executeHandlersOnce` does (the due ones, in the
 * lifecycle's order, one at a time), but timing each attempt and reporting its
 * outcome to an observer: the source of the operator's handler events and metrics.
 */
import type { Cause, Handler, HandlerId, Logger } from '@kopf/core';
import { type ExecutionContext, executeHandlerOnce, type Outcome } from './execution.js';
import type { State } from './states.js';

/** Told about every attempt: the handler, what came of it, its retry number and duration (seconds). */
export type AttemptObserver = (
  handler: Handler,
  outcome: Outcome,
  attempt: { readonly retry: number; readonly duration: number },
) => void;

/**
 * Runs the due handlers the lifecycle picks, one at a time, reporting each attempt.
 *
 * @returns the outcomes by handler id (never throws for handler errors).
 * @example
 * const outcomes = await executeObserved(handlers, cause, state, context, (h, o, a) => report(h, o, a));
 */
export async function executeObserved(
  handlers: readonly Handler[],
  cause: Cause & { readonly logger: Logger },
  state: State,
  context: ExecutionContext,
  observe?: AttemptObserver,
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
    observe?.(handler, outcome, { retry: handlerState?.retries ?? 0, duration });
  }
  return outcomes;
}
