/**
 * The low-level steps of a processing cycle (Kopf's word): indexing and the wait
 * for complete indexes, the daemons and timers, and the reports about attempts
 * and stuck objects. They run on every event, before the changing handlers, and
 * never wait for consistency.
 */
import {
  type Body,
  type BodyEssence,
  buildObjectReference,
  type Logger,
  type RawEvent,
  ResourceHandlers,
} from '@kopf/core';
import { DaemonsMemory, type SpawningContext } from './daemons.js';
import type { AttemptObserver, ExecutionContext } from './execution.js';
import { indexObject } from './indexing.js';
import { createLogger } from './loggers.js';
import { type ObjectMemory, objectKey } from './memories.js';
import type { ResourceContext } from './processing.js';
import { type ObjectSpawning, spawnForObject } from './spawning.js';
import { handlerReport } from './telemetry.js';

/** How handlers of this resource are executed. */
export function executionContext(context: ResourceContext): ExecutionContext {
  return {
    settings: context.settings,
    clock: context.clock,
    lifecycle: context.lifecycle,
    handlerContext: { eventSink: context.events, settings: context.settings },
    storesResults: true,
  };
}

/**
 * Indexes the object, then waits until every indexed resource has been listed and
 * indexed (at once when there are none); false if the operator stops meanwhile.
 */
export async function indexAndWait(
  event: RawEvent,
  body: Body,
  memory: ObjectMemory,
  context: ResourceContext,
): Promise<boolean> {
  await indexObject(event.type, body, memory.indexing, {
    indexes: context.indexers,
    handlers: context.handlers,
    resource: context.resource,
    logger: createLogger({ sink: context.logs, body, terse: true }),
    memo: memory.memo,
    view: context.indexes,
    execution: executionContext(context),
    observe: attemptObserver(context, body),
  });
  context.listing?.indexed(objectKey(body));
  return context.indexing.waitFor(false, context.signal);
}

/** The daemons and timers step (nothing to do for resources without them). */
export async function spawnStep(
  event: RawEvent,
  essence: BodyEssence | undefined,
  memory: ObjectMemory,
  context: ResourceContext,
  logger: Logger,
): Promise<ObjectSpawning> {
  if (context.handlers.all('spawning').length === 0) return { delays: [], requiresFinalizer: false };
  memory.daemons ??= new DaemonsMemory(context.clock.now());
  return spawnForObject({ type: event.type, body: event.object as Body, essence, logger }, memory.daemons, {
    handlers: context.handlers,
    registry: context.daemons,
    memo: memory.memo,
    context: spawningContext(context),
  });
}

function spawningContext(context: ResourceContext): SpawningContext {
  return {
    client: context.client,
    resource: context.resource,
    resourceKey: context.resourceKey,
    settings: context.settings,
    clock: context.clock,
    logs: context.logs,
    events: context.events,
    indexes: context.indexes,
    telemetry: context.telemetry,
    track: (daemon, running) => context.daemons.track(daemon, running),
  };
}

/** The changing handlers alone: their need for the finalizer (the tasks' need is known separately). */
export function changingOnly(handlers: ResourceHandlers): ResourceHandlers {
  return new ResourceHandlers(
    () => handlers.all('changing'),
    () => true,
  );
}

/** Reports each attempt, and the object as stuck when a handler keeps failing. */
export function attemptObserver(context: ResourceContext, body: Body): AttemptObserver {
  return (handler, outcome, attempt) => {
    context.telemetry.handlerDone(
      handlerReport(handler, outcome, attempt, { resource: context.resourceKey, body }),
    );
    if (outcome.error !== undefined && attempt.retry + 1 === context.stuckAfter) {
      context.telemetry.objectStuck({
        reason: 'retrying',
        resource: context.resourceKey,
        object: buildObjectReference(body),
        handler: handler.id,
        attempts: attempt.retry + 1,
        error: outcome.error,
      });
    }
  };
}

/** Reports an object as stuck once when its throttling begins. */
export function reportThrottling(body: Body, memory: ObjectMemory, context: ResourceContext): void {
  if (memory.throttler.active && !memory.stuck) {
    context.telemetry.objectStuck({
      reason: 'throttled',
      resource: context.resourceKey,
      object: buildObjectReference(body),
    });
  }
  memory.stuck = memory.throttler.active;
}
