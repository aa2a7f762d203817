/**
 * Daemons and timers of one object (Kopf's `daemons.py`): each `on.daemon` and
 * `on.timer` handler gets one long-running task per matching object, guarded here.
 * The task sees the object's fresh body (updated in place as events arrive) and a
 * `stopped` flag. A daemon runs its function once, retrying it per its errors mode
 * and backoff when it fails; a normal return ends it for good. Timers (`timers.ts`)
 * call their function on a schedule. Each attempt's result lands in `status.<id>`
 * with its own patch, and failures are posted as Events (successes are not: Kopf
 * #1170). When a task ends, the object is re-processed, so a deletion waiting for
 * it can release the finalizer at once.
 */
import {
  allAtOnce,
  type Body,
  type BodyEssence,
  buildObjectReference,
  causeKwargs,
  type DaemonHandler,
  describeHandler,
  type EventSink,
  type HandlerId,
  type Indexes,
  isMapping,
  type Logger,
  type Memo,
  Patch,
  type PatchFn,
  type Resource,
  type ResourceKwargs,
  type SpawningCause,
  type SpawningHandler,
} from '@kopf/core';
import type { ApiClient } from '@kopf/k8s';
import { applyPatch } from './applying.js';
import type { Clock } from './clock.js';
import { deliverResults, executeHandlersOnce, type Outcome } from './execution.js';
import { createLogger } from './loggers.js';
import type { LogSink } from './logging.js';
import { postOutcomes } from './outcomes.js';
import type { ResolvedSettings } from './settings.js';
import { State } from './states.js';
import { DaemonStopper } from './stoppers.js';
import { type DaemonReport, handlerReport, type Telemetry } from './telemetry.js';

/** One running daemon or timer of one object. */
export interface Daemon {
  readonly handler: SpawningHandler;
  readonly stopper: DaemonStopper;
  /** The object's local logger (never posts Events). */
  readonly logger: Logger;
  /** Resolves when the task has exited. */
  readonly done: Promise<void>;
  /** Whether the task has exited. */
  readonly finished: boolean;
}

/** What the operator remembers about an object's daemons and timers. */
export class DaemonsMemory {
  /** The body the tasks see, updated in place with every event. */
  liveBody: Body | undefined;
  /** When the object last changed essentially (ms on the clock), for `idle` timers. */
  idleResetTime: number;
  /** The essence last seen, to tell essential changes from others. */
  lastEssence: BodyEssence | undefined;
  /** Handlers whose task exited on its own: never spawned again for this object. */
  readonly foreverStopped: Set<HandlerId> = new Set();
  readonly running: Map<HandlerId, Daemon> = new Map();
  /** Asks the object's queue to process it again (set on every processing cycle). */
  poke: (() => void) | undefined;
  /** The body the live body was last brought up to: the same event's body needs no second pass. */
  #source: Body | undefined;

  constructor(now: number) {
    this.idleResetTime = now;
  }

  /**
   * Brings the live body up to `body` in place, at every depth: the same objects
   * stay in the tasks' hands, so a daemon that destructured `spec` (or `meta`,
   * `status`, `labels`, `annotations`) sees fresh values, as Kopf's live views do.
   */
  refresh(body: Body): Body {
    if (body === this.#source && this.liveBody !== undefined) return this.liveBody;
    this.#source = body;
    if (this.liveBody === undefined) {
      this.liveBody = structuredClone(body);
    } else {
      syncInPlace(this.liveBody as Record<string, unknown>, body as Record<string, unknown>);
    }
    return this.liveBody;
  }
}

type Mapping = Record<string, unknown>;

/** Makes `target` deep-equal to `source`, keeping the identity of every object present in both. */
function syncInPlace(target: Mapping, source: Mapping): void {
  for (const key of Object.keys(target)) if (!Object.hasOwn(source, key)) delete target[key];
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (isMapping(current) && isMapping(value)) syncInPlace(current, value);
    else target[key] = typeof value === 'object' && value !== null ? structuredClone(value) : value;
  }
}

/** Everything the tasks of one resource need. */
export interface SpawningContext {
  readonly client: ApiClient;
  readonly resource: Resource;
  /** `plural.version.group`, for reports. */
  readonly resourceKey: string;
  readonly settings: ResolvedSettings;
  readonly clock: Clock;
  readonly logs: LogSink;
  readonly events: EventSink;
  readonly indexes: Indexes;
  readonly telemetry: Telemetry;
  /** Called when a task starts and when it has exited (the operator-wide registry). */
  readonly track: (daemon: Daemon, running: boolean) => void;
}

/** What one task of one object works with. */
export interface TaskRun {
  readonly handler: SpawningHandler;
  readonly stopper: DaemonStopper;
  readonly memory: DaemonsMemory;
  readonly body: Body;
  readonly memo: Memo;
  readonly context: SpawningContext;
  /** Mirrors to Events per `posting.loggers`. */
  readonly logger: Logger;
  /** Never posts. */
  readonly local: Logger;
  /** Body transformations that lost a race and wait for the next attempt. */
  remaining: readonly PatchFn[];
}

/** The loop of one kind of task: the daemon's, or the timer's. */
export type TaskLoop = (run: TaskRun) => Promise<void>;

/**
 * Starts the task of `handler` for the object of `memory` and registers it there.
 *
 * @example
 * startDaemon(handler, memory, memo, context, handler.kind === 'daemon' ? runDaemon : runTimer);
 */
export function startDaemon(
  handler: SpawningHandler,
  memory: DaemonsMemory,
  memo: Memo,
  context: SpawningContext,
  loop: TaskLoop,
): Daemon {
  const body = memory.liveBody as Body;
  const stopper = new DaemonStopper(context.clock);
  const local = createLogger({ sink: context.logs, body });
  const logger = createLogger({
    sink: context.logs,
    body,
    posting: { sink: context.events, settings: context.settings.posting },
  });
  const run: TaskRun = { handler, stopper, memory, body, memo, context, logger, local, remaining: [] };
  let finished = false;
  const daemon: Daemon = {
    handler,
    stopper,
    logger: local,
    get finished() {
      return finished;
    },
    done: guard(run, loop).finally(() => {
      finished = true;
      onExit(run, daemon);
    }),
  };
  memory.running.set(handler.id, daemon);
  context.track(daemon, true);
  context.telemetry.daemonStarted(report(run));
  return daemon;
}

async function guard(run: TaskRun, loop: TaskLoop): Promise<void> {
  try {
    await loop(run);
  } catch (error) {
    run.local.error(`${describeHandler(run.handler)} has failed unexpectedly; it is not restarted.`, error);
  }
}

function onExit(run: TaskRun, daemon: Daemon): void {
  const { handler, stopper, memory, context } = run;
  const reason = stopper.reason;
  if (reason === undefined) memory.foreverStopped.add(handler.id);
  if (memory.running.get(handler.id) === daemon) memory.running.delete(handler.id);
  stopper.set('done');
  context.track(daemon, false);
  context.telemetry.daemonStopped({ ...report(run), reason });
  memory.poke?.();
}

function report(run: TaskRun): DaemonReport {
  return {
    handler: run.handler.id,
    kind: run.handler.kind,
    resource: run.context.resourceKey,
    object: buildObjectReference(run.body),
  };
}

/** Sleeps the initial delay (a number of seconds, or computed from the object). */
export async function sleepInitialDelay(run: TaskRun): Promise<void> {
  const { initialDelay } = run.handler;
  if (initialDelay === undefined) return;
  const delay =
    typeof initialDelay === 'function'
      ? initialDelay(causeKwargs(run.handler, cause(run, new Patch())) as unknown as ResourceKwargs)
      : initialDelay;
  await run.stopper.wait(delay);
}

function cause(run: TaskRun, patch: Patch): SpawningCause {
  return {
    logger: run.logger,
    memo: run.memo,
    indexes: run.context.indexes,
    resource: run.context.resource,
    body: run.body,
    patch,
  };
}

/** A fresh single-handler state for the task. */
export function freshState(run: TaskRun): State {
  return State.fromScratch().withHandlers([run.handler], run.context.clock.now());
}

/**
 * One attempt of the task's function: executes it, posts failures as Events,
 * stores the result in `status.<id>` and applies the patch. Resolves to the state
 * after the attempt.
 */
export async function attempt(run: TaskRun, state: State): Promise<State> {
  const { context, handler } = run;
  const patch = new Patch();
  patch.fns.push(...run.remaining);
  const execution = {
    settings: context.settings,
    clock: context.clock,
    lifecycle: allAtOnce,
    handlerContext: { eventSink: context.events, settings: context.settings, client: context.client },
    storesResults: true,
  };
  const outcomes = await executeHandlersOnce([handler], { ...cause(run, patch), logger: run.logger }, state, {
    ...execution,
    stopped: run.stopper,
    onAttempt: (h, outcome, timing) =>
      context.telemetry.handlerDone(
        handlerReport(h, outcome, timing, { resource: context.resourceKey, body: run.body }),
      ),
  });
  postFailures(outcomes, run);
  deliverResults(outcomes, patch);
  await applyAttempt(run, patch);
  return state.withOutcomes(outcomes, context.clock.now());
}

function postFailures(outcomes: ReadonlyMap<HandlerId, Outcome>, run: TaskRun): void {
  const failures = new Map([...outcomes].filter(([, outcome]) => outcome.error !== undefined));
  if (failures.size > 0) postOutcomes(failures, [run.handler], run.body, run.context);
}

async function applyAttempt(run: TaskRun, patch: Patch): Promise<void> {
  if (patch.isEmpty) return;
  const { context } = run;
  try {
    const applied = await applyPatch(context.client, context.resource, run.body, patch, run.local);
    run.remaining = applied.remaining;
  } catch (error) {
    run.remaining = patch.fns;
    run.local.error(`Patching the results of ${describeHandler(run.handler)} has failed.`, error);
  }
}

/**
 * A daemon's loop: run the function; retry it after its delay while it fails
 * temporarily; end when it returns, fails for good, or is asked to stop.
 */
export async function runDaemon(run: TaskRun): Promise<void> {
  const handler = run.handler as DaemonHandler;
  await sleepInitialDelay(run);
  let state = freshState(run);
  while (!run.stopper.aborted && !state.isDone) {
    state = await attempt(run, state);
    const delay = state.delay(run.context.clock.now());
    if (!state.isDone && delay !== undefined && delay > 0) await run.stopper.wait(delay);
  }
  const title = describeHandler(handler);
  if (run.stopper.aborted)
    run.local.debug(`${title} has exited on request and will not be retried or restarted.`);
  else run.local.debug(`${title} has exited on its own and will not be retried or restarted.`);
}
