/**
 * Keeping the indexes in sync with the watch stream (Kopf's `index_resource`): on
 * every event of an object, its index handlers run and their results replace what
 * the object contributed before; on deletion, or when a handler no longer matches
 * the object, its values are removed. Errors follow Kopf: an ignored error keeps
 * the stale values; a temporary one removes them and skips the object until the
 * delay passes; a permanent one (or exhausted retries/timeout) removes them and
 * excludes the object from that index for as long as the operator runs. Only the
 * failures are remembered (in memory); successes run again on every event.
 */
import {
  allAtOnce,
  type Body,
  type Indexes,
  type IndexingCause,
  type Logger,
  type Memo,
  Patch,
  type RawEventType,
  type Resource,
  type ResourceHandlers,
} from '@kopf/core';
import type { AttemptObserver } from './execution.js';
import { type ExecutionContext, executeHandlersOnce, type Outcome } from './execution.js';
import { indexEntries, type ObjectSlot, type OperatorIndexes } from './indexes.js';
import { State } from './states.js';

/** What is remembered per object for indexing: the failed and retrying handlers only. */
export interface IndexingMemory {
  state: State | undefined;
}

/** Where an object's values are kept in every index: namespace, name and uid. */
export function objectSlot(body: Body): ObjectSlot {
  const meta = body.metadata ?? {};
  return JSON.stringify([meta.namespace ?? null, meta.name ?? null, meta.uid ?? null]);
}

/** What indexing one event needs. */
export interface IndexingContext {
  readonly indexes: OperatorIndexes;
  readonly handlers: ResourceHandlers;
  readonly resource: Resource;
  /** A terse logger: indexers run on every event, so their successes log at debug level. */
  readonly logger: Logger;
  readonly memo: Memo;
  readonly view: Indexes;
  readonly execution: ExecutionContext;
  readonly observe?: AttemptObserver;
}

/**
 * Indexes one event of one object: discards the object's values on deletion,
 * otherwise runs the matching index handlers and stores their results.
 */
export async function indexObject(
  eventType: RawEventType,
  body: Body,
  memory: IndexingMemory,
  context: IndexingContext,
): Promise<void> {
  if (context.handlers.all('indexing').length === 0) return;
  const slot = objectSlot(body);
  if (eventType === 'DELETED') {
    context.indexes.discard(slot);
    return;
  }
  const cause: IndexingCause = {
    logger: context.logger,
    memo: context.memo,
    indexes: context.view,
    resource: context.resource,
    body,
    patch: new Patch(),
  };
  const handlers = context.handlers.indexing(cause);
  const clock = context.execution.clock;
  const state = (memory.state ?? State.fromScratch()).withHandlers(handlers, clock.now());
  const outcomes = await executeHandlersOnce(handlers, cause, state, {
    ...context.execution,
    lifecycle: allAtOnce,
    defaultErrors: 'ignored',
    storesResults: false, // an index keeps any value, in memory
    ...(context.observe ? { onAttempt: context.observe } : {}),
  });
  storeResults(context.indexes, slot, outcomes);
  const remaining = state.withOutcomes(outcomes, clock.now()).withoutSuccesses();
  memory.state = remaining.size > 0 ? remaining : undefined;
}

/** Applies the outcomes: results replace, failures discard, handlers that did not run discard. */
function storeResults(
  indexes: OperatorIndexes,
  slot: ObjectSlot,
  outcomes: ReadonlyMap<string, Outcome>,
): void {
  for (const [id, outcome] of outcomes) {
    const index = indexes.get(id);
    if (!index) continue;
    if (outcome.error !== undefined) index.discard(slot);
    else if (outcome.result !== undefined && outcome.result !== null)
      index.replace(slot, indexEntries(outcome.result));
  }
  for (const id of indexIds(indexes)) if (!outcomes.has(id)) indexes.get(id)?.discard(slot);
}

function indexIds(indexes: OperatorIndexes): string[] {
  return Object.keys(indexes.view);
}
