/**
 * One cycle of one object: from a watch event to handlers and back to the object.
 * Indexes the object (and waits for complete indexes), runs the event handlers,
 * starts or stops its daemons and timers, detects what happened (Kopf's causes),
 * decides about the finalizer, waits for consistency after the operator's own
 * patches, runs the changing handlers with their progress, and applies everything
 * in as few patches as possible. Errors outside of handlers throttle the object,
 * never the operator.
 */
import {
  type Body,
  type ChangingCause,
  type ChangingHandler,
  detectChangingCause,
  type EventSink,
  type Indexes,
  isDeletionBlocked,
  isDeletionOngoing,
  type Lifecycle,
  type Logger,
  type Memo,
  Patch,
  type RawEvent,
  REASON_TITLES,
  type Reason,
  type Resource,
  type ResourceHandlers,
} from '@kopf/core';
import type { ApiClient } from '@kopf/k8s';
import { applyPatch } from './applying.js';
import type { Clock } from './clock.js';
import { compareWithLastHandled } from './diffbase.js';
import { deliverResults, executeHandlersOnce } from './execution.js';
import { allowDeletion, blockDeletion } from './finalizers.js';
import type { OperatorIndexes } from './indexes.js';
import { createLogger } from './loggers.js';
import type { LogSink } from './logging.js';
import {
  attemptObserver,
  changingOnly,
  executionContext,
  indexAndWait,
  reportThrottling,
  spawnStep,
} from './lowlevel.js';
import { type ObjectMemories, type ObjectMemory, objectKey } from './memories.js';
import { postOutcomes } from './outcomes.js';
import type { ProcessingContext, ProcessingResult } from './queueing.js';
import type { ListingReadiness } from './readiness.js';
import type { ResolvedSettings } from './settings.js';
import type { DaemonRegistry } from './spawning.js';
import { State } from './states.js';
import type { Telemetry } from './telemetry.js';
import type { ToggleSet } from './toggles.js';
import { processWatchingCause } from './watching.js';

/** Everything a cycle needs about the resource and the operator. */
export interface ResourceContext {
  readonly resource: Resource;
  readonly handlers: ResourceHandlers;
  readonly client: ApiClient;
  readonly settings: ResolvedSettings;
  readonly clock: Clock;
  readonly lifecycle: Lifecycle;
  readonly memories: ObjectMemories;
  /** The operator-wide memo; each object gets a shallow copy. */
  readonly memo: Memo;
  readonly indexes: Indexes;
  readonly logs: LogSink;
  readonly events: EventSink;
  /** The resource as `plural.version.group`, for reports. */
  readonly resourceKey: string;
  /** The operator's indexes, written by index handlers (`indexes` is their read-only view). */
  readonly indexers: OperatorIndexes;
  /** On while indexed resources are still being listed: resource handlers wait for it. */
  readonly indexing: ToggleSet;
  /** This watcher's hold on `indexing` (indexed resources only). */
  readonly listing: ListingReadiness | undefined;
  /** The operator's running daemons and timers. */
  readonly daemons: DaemonRegistry;
  readonly telemetry: Telemetry;
  /** An object is reported stuck once one of its handlers has failed this many times in a row. */
  readonly stuckAfter: number;
  /** Aborted when the operator stops. */
  readonly signal: AbortSignal;
}

/** Longest single sleep for delayed handlers; longer delays wake up to log that they are alive. */
const LONGEST_SLEEP = 600;

/**
 * Processes one watch event of one object (the queue's processor).
 *
 * @returns the resourceVersion of the operator's own last patch (to wait for), and
 * when to process again if handlers are delayed.
 */
export async function processResourceEvent(
  event: RawEvent,
  context: ResourceContext,
  queue: ProcessingContext,
): Promise<ProcessingResult | undefined> {
  const body = event.object as Body;
  const memory = context.memories.recall(body, { noticedByListing: event.type === null, memo: context.memo });
  if (memory.daemons) {
    memory.daemons.poke = queue.poke;
    memory.daemons.refresh(body);
  }
  if (event.type === 'DELETED') context.memories.forget(body);
  const local = createLogger({ sink: context.logs, body });
  const logger = createLogger({
    sink: context.logs,
    body,
    posting: { sink: context.events, settings: context.settings.posting },
  });
  let result: ProcessingResult | undefined;
  try {
    await memory.throttler.run(
      async () => {
        result = await processCycle(event, body, memory, { context, queue, logger, local });
      },
      {
        clock: context.clock,
        delays: context.settings.queueing.errorDelays,
        logger: local,
        wakeup: queue.pressure.signal,
      },
    );
  } finally {
    context.listing?.indexed(objectKey(body));
    if (memory.daemons) memory.daemons.poke = queue.poke; // the cycle may have made it
  }
  reportThrottling(body, memory, context);
  return result;
}

interface Cycle {
  readonly context: ResourceContext;
  readonly queue: ProcessingContext;
  /** Mirrors to Events when `posting.loggers` is on. */
  readonly logger: Logger;
  /** Never posts: the framework's own details. */
  readonly local: Logger;
}

async function processCycle(
  event: RawEvent,
  body: Body,
  memory: ObjectMemory,
  cycle: Cycle,
): Promise<ProcessingResult | undefined> {
  const { context } = cycle;
  const patch = new Patch();
  patch.fns.push(...memory.remaining);
  const initiallyEmpty = patch.isEmpty;
  const base = {
    logger: cycle.logger,
    memo: memory.memo,
    indexes: context.indexes,
    resource: context.resource,
    body,
    patch,
  };
  if (!(await indexAndWait(event, body, memory, context))) return undefined;

  if (context.handlers.all('watching').length > 0) {
    const execution = { ...executionContext(context), onAttempt: attemptObserver(context, body) };
    await processWatchingCause({ ...base, type: event.type, event }, context, execution);
  }

  const finalizer = context.settings.persistence.finalizer;
  const blocked = isDeletionBlocked(body, finalizer);
  if (memory.released && blocked) {
    cycle.local.debug('Skipping a stale state: the finalizer is already removed by this operator.');
    return undefined;
  }

  const comparison = compareWithLastHandled(body, {
    diffbase: context.settings.persistence.diffbaseStorage,
    progress: context.settings.persistence.progressStorage,
    extraFields: context.handlers.extraFields(),
  });
  const spawning = await spawnStep(event, comparison.new, memory, context, cycle.logger);
  const detected = detectChangingCause({
    ...base,
    eventType: event.type,
    finalizer,
    initial: memory.noticedByListing && !memory.fullyHandledOnce,
    old: comparison.old,
    new: comparison.new,
    diff: comparison.diff,
  });
  const hasChanging = context.handlers.all('changing').length > 0;
  let changing: ChangingCause | undefined =
    hasChanging && context.handlers.prematch(detected) ? detected : undefined;

  const ongoing = isDeletionOngoing(body);
  let allowing = false; // this cycle removes the finalizer
  const mustBlock = spawning.requiresFinalizer || changingOnly(context.handlers).requiresFinalizer(detected);
  if (mustBlock && !blocked && !ongoing) {
    cycle.local.debug('Adding the finalizer, thus preventing the actual deletion.');
    patch.fns.push(blockDeletion(finalizer));
    changing = undefined;
  } else if (!mustBlock && blocked) {
    cycle.local.debug('Removing the finalizer, as there are no handlers requiring it.');
    patch.fns.push(allowDeletion(finalizer));
    allowing = true;
    changing = undefined;
  }

  const finalizerChanged = patch.fns.length > memory.remaining.length;
  const inconsistent =
    changing !== undefined && !(await isConsistent(changing, patch, initiallyEmpty, cycle));
  if (inconsistent) changing = undefined;
  const changingDelays = changing ? await processChangingCause(changing, memory, cycle) : [];
  const delays = [...spawning.delays, ...changingDelays];

  const released = !inconsistent && !finalizerChanged && ongoing && blocked && delays.length === 0;
  if (event.type !== 'DELETED' && released) {
    cycle.local.debug('Removing the finalizer, thus allowing the actual deletion.');
    patch.fns.push(allowDeletion(finalizer));
    allowing = true;
  }
  if (event.type === 'DELETED') return undefined;
  const result = await apply(body, patch, memory, delays, changing !== undefined, cycle);
  if (ongoing && allowing && memory.remaining.length === 0) memory.released = true;
  return result;
}

/**
 * Kopf's consistency rule: state-dependent handlers run only on a state that
 * includes the operator's own last patch — or once the consistency timeout says to
 * assume so. New events cut the wait short (and are processed instead).
 */
async function isConsistent(
  cause: ChangingCause,
  patch: Patch,
  initiallyEmpty: boolean,
  cycle: Cycle,
): Promise<boolean> {
  const { queue, context } = cycle;
  let achieved = queue.consistencyDeadline === undefined || cause.reason === 'gone';
  if (!achieved && patch.isEmpty && queue.consistencyDeadline !== undefined) {
    achieved = await context.clock.sleep(
      queue.consistencyDeadline - context.clock.now(),
      queue.pressure.signal,
    );
  }
  return achieved && initiallyEmpty;
}

const HANDLER_REASONS: ReadonlySet<string> = new Set(['create', 'update', 'delete', 'resume']);

/** Runs the changing handlers for the cause; resolves to the pending delays (seconds). */
async function processChangingCause(
  cause: ChangingCause,
  memory: ObjectMemory,
  cycle: Cycle,
): Promise<number[]> {
  const { context, logger } = cycle;
  let delays: number[] = [];
  let finished = false;
  if (HANDLER_REASONS.has(cause.reason)) {
    const reason = cause.reason as Reason;
    const owned = context.handlers.all('changing') as ChangingHandler[];
    const selected = context.handlers.changing(cause);
    const title = REASON_TITLES[reason];
    const storage = context.settings.persistence.progressStorage;
    const now = context.clock.now();
    let state = State.fromStorage({ body: cause.body, storage, handlers: owned, now })
      .withPurpose(reason)
      .withHandlers(selected, now);
    for (const [purpose, counts] of state.extras) {
      logger.info(
        `${capitalize(REASON_TITLES[purpose])} is superseded by ${title}: ` +
          `${counts.succeeded} succeeded; ${counts.failed} failed; ${counts.left} left to the moment.`,
      );
      state = state.withPurpose(reason, selected);
    }
    if (state.extras.size > 0)
      state.purgeFrom({ body: cause.body, patch: cause.patch, storage, handlers: owned });
    cycle.local.debug(`${capitalize(title)} is in progress: ${describeBody(cause.body)}`);
    if (cause.diff.length > 0 && cause.old !== undefined) {
      cycle.local.debug(`${capitalize(title)} diff: ${JSON.stringify(cause.diff)}`);
    }
    if (selected.length > 0) {
      const observe = attemptObserver(context, cause.body);
      const execution = { ...executionContext(context), onAttempt: observe };
      const outcomes = await executeHandlersOnce(selected, cause, state, execution);
      postOutcomes(outcomes, selected, cause.body, context);
      state = state.withOutcomes(outcomes, context.clock.now());
      state.storeInto({ body: cause.body, patch: cause.patch, storage });
      deliverResults(outcomes, cause.patch);
      if (state.isDone) {
        const { succeeded, failed } = state.counts;
        logger.info(`${capitalize(title)} is processed: ${succeeded} succeeded; ${failed} failed.`);
        state.purgeFrom({ body: cause.body, patch: cause.patch, storage, handlers: owned });
      }
      finished = state.isDone;
      delays = state.delays(context.clock.now());
    } else {
      finished = true;
    }
  }
  if (finished) {
    if (cause.new !== undefined && (cause.old === undefined || cause.diff.length > 0)) {
      context.settings.persistence.diffbaseStorage.store(cause.body, cause.patch, cause.new);
    }
    memory.fullyHandledOnce = true;
  }
  if (cause.reason === 'gone') cycle.local.debug('Deleted, really deleted, and we are notified.');
  if (cause.reason === 'free') cycle.local.debug('Deletion, but we are done with it, and we do not care.');
  if (cause.reason === 'noop') {
    cycle.local.debug('Something has changed, but we are not interested (the essence is the same).');
  }
  return delays;
}

/** Sends the cycle's patch; asks the queue to come back for delayed handlers. */
async function apply(
  body: Body,
  patch: Patch,
  memory: ObjectMemory,
  delays: readonly number[],
  matched: boolean,
  cycle: Cycle,
): Promise<ProcessingResult> {
  const { context, local } = cycle;
  const delay = delays.length > 0 ? Math.max(0, Math.min(...delays)) : undefined;
  if (!patch.isEmpty) context.settings.persistence.progressStorage.touch(body, patch, undefined);
  const applied = await applyPatch(context.client, context.resource, body, patch, local);
  memory.remaining = applied.remaining;
  const patched = applied.version !== undefined;
  if (delay !== undefined && patched) {
    local.debug(`Sleeping was skipped because of the patch, ${delay} seconds left.`);
    return { version: applied.version };
  }
  if (delay !== undefined && !applied.gone) {
    const sleep = Math.min(delay, LONGEST_SLEEP);
    local.debug(`Sleeping for ${sleep} seconds for the delayed handlers.`);
    return { version: applied.version, retryAfter: sleep * 1000 };
  }
  if (!patched && matched) local.debug('Handling cycle is finished, waiting for new changes.');
  return { version: applied.version };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The body for debug logs, with Secrets' values hidden: secrets never reach logs. */
export function describeBody(body: Body): string {
  if (body.kind !== 'Secret') return JSON.stringify(body);
  const hidden = (values: unknown) =>
    values && typeof values === 'object'
      ? Object.fromEntries(Object.keys(values).map((key) => [key, '***']))
      : values;
  return JSON.stringify({ ...body, data: hidden(body.data), stringData: hidden(body.stringData) });
}
