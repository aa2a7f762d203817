/**
 * Kubernetes Events about handler outcomes, so that `kubectl describe` tells what
 * the operator did (as the Kopf talk shows: `Normal  Success  Handler 'create_fn'
 * succeeded.`). Posted when `posting.enabled` (and not already mirrored from the
 * logs by `posting.loggers`), at or above `posting.level`. The poster batches and
 * rate-limits them, so a handler failing in a loop cannot flood the API. Successes
 * of resume handlers are not posted: they happen for every object on every restart
 * (measured: half of a 10,000-object start-up was spent posting them); their
 * failures are.
 */
import {
  type Body,
  buildObjectReference,
  type EventSink,
  type Handler,
  HandlerChildrenRetryError,
  type HandlerId,
  isLevelEnabled,
  type LogLevel,
} from '@kopf/core';
import type { Outcome } from './execution.js';
import type { ResolvedSettings } from './settings.js';

interface PostingContext {
  readonly settings: ResolvedSettings;
  readonly events: EventSink;
}

/** Posts one Event per outcome of the given (changing) handlers. */
export function postOutcomes(
  outcomes: ReadonlyMap<HandlerId, Outcome>,
  handlers: readonly Handler[],
  body: Body,
  context: PostingContext,
): void {
  const { enabled, loggers, level } = context.settings.posting;
  if (!enabled || loggers) return;
  const ref = buildObjectReference(body);
  for (const handler of handlers) {
    const outcome = outcomes.get(handler.id);
    if (!outcome) continue;
    const [type, reason, severity] = classify(outcome);
    if (!isLevelEnabled(severity, level)) continue;
    if (reason === 'Success' && handler.kind === 'resume') continue;
    if (outcome.error instanceof HandlerChildrenRetryError) continue; // waiting for sub-handlers: no news
    context.events.post({ ref, type, reason, message: outcome.report });
  }
}

function classify(outcome: Outcome): [type: string, reason: string, severity: LogLevel] {
  if (outcome.final && outcome.error === undefined) return ['Normal', 'Success', 'info'];
  if (!outcome.final) return ['Warning', 'Retrying', 'error'];
  return ['Warning', 'Failure', 'error'];
}
