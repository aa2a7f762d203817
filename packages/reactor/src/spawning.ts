/**
 * Spawning and stopping the daemons and timers of an object on each of its events
 * (Kopf's `process_spawning_cause`), and the operator-wide registry of all running
 * tasks (Kopf's "daemon killer"), which stops them when the operator pauses or
 * exits. Per event: the live body is refreshed and essential changes reset the
 * idle clocks; on deletion every task is asked to stop; otherwise missing tasks
 * are started and those whose filters no longer match are stopped (to be started
 * again when they match). Tasks that exited on their own are never started again.
 */
import {
  type Body,
  type BodyEssence,
  type HandlerId,
  isDeletionOngoing,
  type Logger,
  type Memo,
  Patch,
  type RawEventType,
  type ResourceHandlers,
  type SpawningCause,
  type SpawningHandler,
} from '@kopf/core';
import { type Daemon, type DaemonsMemory, runDaemon, type SpawningContext, startDaemon } from './daemons.js';
import { pythonEquals } from './diffs.js';
import { stopDaemon, stopDaemons } from './stopping.js';
import { runTimer } from './timers.js';

/** Whether the registry lets new tasks start. */
export type SpawningMode = 'running' | 'paused' | 'exiting';

/** Every running daemon and timer of one operator. */
export class DaemonRegistry {
  readonly #daemons = new Set<Daemon>();
  #mode: SpawningMode = 'running';

  /** `running`: tasks may start; `paused`/`exiting`: none start. */
  get mode(): SpawningMode {
    return this.#mode;
  }

  set mode(mode: SpawningMode) {
    if (this.#mode !== 'exiting') this.#mode = mode;
  }

  /** How many tasks run now, by kind. */
  counts(): { daemon: number; timer: number } {
    const counts = { daemon: 0, timer: 0 };
    for (const daemon of this.#daemons) counts[daemon.handler.kind] += 1;
    return counts;
  }

  /** All running tasks. */
  all(): Daemon[] {
    return [...this.#daemons];
  }

  /** Registers a started task, or forgets an exited one. */
  track(daemon: Daemon, running: boolean): void {
    if (running) this.#daemons.add(daemon);
    else this.#daemons.delete(daemon);
  }

  /**
   * Stops every task (for a pause or the exit), each as `stopDaemon` does; resolves
   * once all have exited or were abandoned.
   */
  async stopAll(
    reason: 'operator-pausing' | 'operator-exiting',
    context: Pick<SpawningContext, 'settings' | 'clock'>,
    grace: number,
  ): Promise<void> {
    await Promise.all(
      this.all().map((daemon) => stopDaemon(daemon, reason, context.settings, context.clock, grace)),
    );
  }
}

/** What spawning for one object needs besides the memory. */
export interface SpawningOptions {
  readonly handlers: ResourceHandlers;
  readonly registry: DaemonRegistry;
  /** The object's memo (tasks share it with the object's other handlers). */
  readonly memo: Memo;
  readonly context: SpawningContext;
}

/** The daemons and timers that should run for the object now (not those that exited on their own). */
export function wantedHandlers(
  cause: SpawningCause,
  memory: DaemonsMemory,
  handlers: ResourceHandlers,
): readonly SpawningHandler[] {
  return handlers.spawning(cause).filter((handler) => !memory.foreverStopped.has(handler.id));
}

/**
 * Starts, keeps, or stops the object's tasks to match its state; resolves to the
 * seconds until stopping tasks should be checked again (empty when none).
 */
export async function processSpawningCause(
  cause: SpawningCause,
  memory: DaemonsMemory,
  deleted: boolean,
  options: SpawningOptions,
): Promise<number[]> {
  const { context } = options;
  if (deleted)
    return stopDaemons(memory.running.values(), 'resource-deleted', context.settings, context.clock);
  const wanted = wantedHandlers(cause, memory, options.handlers);
  if (options.registry.mode === 'running') {
    for (const handler of wanted) {
      if (memory.running.has(handler.id)) continue;
      startDaemon(handler, memory, options.memo, context, handler.kind === 'daemon' ? runDaemon : runTimer);
    }
  }
  const ids = new Set<HandlerId>(wanted.map((handler) => handler.id));
  const mismatching = [...memory.running.values()].filter((daemon) => !ids.has(daemon.handler.id));
  return stopDaemons(mismatching, 'filters-mismatch', context.settings, context.clock);
}

/** What spawning did for one event of an object. */
export interface ObjectSpawning {
  /** Seconds until stopping tasks should be checked again (empty when none). */
  readonly delays: number[];
  /** Whether the object's tasks need the finalizer (a daemon or timer matches it). */
  readonly requiresFinalizer: boolean;
}

/** One event of one object, for its daemons and timers. */
export interface SpawningEvent {
  readonly type: RawEventType;
  readonly body: Body;
  /** The object's essence now: a change resets the idle clocks of its timers. */
  readonly essence: BodyEssence | undefined;
  readonly logger: Logger;
}

/**
 * The spawning step of a processing cycle: refreshes the live body, resets the
 * idle clock on essential changes, and starts or stops the object's tasks. For an
 * object that is gone (DELETED), the tasks are stopped in the background.
 */
export async function spawnForObject(
  event: SpawningEvent,
  memory: DaemonsMemory,
  options: SpawningOptions,
): Promise<ObjectSpawning> {
  const { context } = options;
  if (!pythonEquals(memory.lastEssence ?? null, event.essence ?? null)) {
    memory.lastEssence = event.essence;
    memory.idleResetTime = context.clock.now();
  }
  const body = memory.refresh(event.body);
  if (event.type === 'DELETED') {
    const grace = context.settings.background.cancellationPolling;
    for (const daemon of memory.running.values())
      void stopDaemon(daemon, 'resource-deleted', context.settings, context.clock, grace);
    return { delays: [], requiresFinalizer: false };
  }
  const cause: SpawningCause = {
    logger: event.logger,
    memo: options.memo,
    indexes: context.indexes,
    resource: context.resource,
    body,
    patch: new Patch(),
  };
  const delays = await processSpawningCause(cause, memory, isDeletionOngoing(body), options);
  const requiresFinalizer = wantedHandlers(cause, memory, options.handlers).some((h) => h.requiresFinalizer);
  return { delays, requiresFinalizer };
}
