/**
 * The progress of all handlers of an object within one cause (Kopf's `State` of
 * `kopf/_core/actions/progression.py`): read from the progress storage at the
 * start of a cycle, advanced with the outcomes of the handlers that ran, stored
 * back (only the records that changed), and purged when the cause is done.
 *
 * Handlers selected for the current cause are "active": only they decide whether
 * the cause is done and how long to sleep. Other stored records (e.g. of a cause
 * superseded by a deletion) are carried along passively, for the counters of the
 * "superseded" message and for purging. Immutable; time is passed in.
 *
 * @example
 * let state = State.fromStorage({ body, storage, handlers: ownedHandlers, now })
 *   .withPurpose('create')
 *   .withHandlers(causeHandlers, now);
 * state = state.withOutcomes(new Map([['create_fn', { final: true }]]), clock.now());
 * state.storeInto({ body, patch, storage });
 * if (state.isDone) state.purgeFrom({ body, patch, storage, handlers: ownedHandlers });
 */
import type { Body, HandlerId, Patch, ProgressStorage, Reason } from '@kopf/core';
import type { HandlerOutcome } from './handler-states.js';
import { HandlerState } from './handler-states.js';
import { describeObject, ProgressRecordError } from './storage-errors.js';
import type { Moment } from './timestamps.js';
import { TimestampParseError } from './timestamps.js';

/** A handler, or just its id: the states need nothing else of it. */
export type HandlerRef = HandlerId | { readonly id: HandlerId };

/** How many handlers succeeded, failed, and are left (neither yet). */
export interface StateCounters {
  readonly succeeded: number;
  readonly failed: number;
  readonly left: number;
}

/** Outcomes by handler id. */
export type HandlerOutcomes =
  | ReadonlyMap<HandlerId, HandlerOutcome>
  | Readonly<Record<HandlerId, HandlerOutcome>>;

/** A state was asked about handlers it does not know: a bug in the engine, not in the operator. */
export class HandlerStateError extends Error {
  override name = 'HandlerStateError';
}

function idOf(handler: HandlerRef): HandlerId {
  return typeof handler === 'string' ? handler : handler.id;
}

function countOf(states: readonly HandlerState[]): StateCounters {
  return {
    succeeded: states.filter((state) => state.success).length,
    failed: states.filter((state) => state.failure).length,
    left: states.filter((state) => !state.isFinished).length,
  };
}

function fetchState(
  storage: ProgressStorage,
  id: HandlerId,
  body: Body,
  now: Moment,
): HandlerState | undefined {
  const record = storage.fetch(id, body);
  if (record === undefined) return undefined;
  try {
    return HandlerState.fromRecord(record, now);
  } catch (error) {
    if (!(error instanceof TimestampParseError)) throw error;
    throw new ProgressRecordError(
      `Reading the progress of handler '${id}' of ${describeObject(body)} failed: ${error.message} ` +
        'Fix or delete the stored record; deleting it restarts that handler from its first attempt.',
      { cause: error },
    );
  }
}

/** All handlers' progress in one cause; see the module description. */
export class State implements Iterable<[HandlerId, HandlerState]> {
  /** The cause being processed; `undefined` until set with {@link State.withPurpose}. */
  readonly purpose: Reason | undefined;
  readonly #states: ReadonlyMap<HandlerId, HandlerState>;

  private constructor(states: ReadonlyMap<HandlerId, HandlerState>, purpose: Reason | undefined) {
    this.#states = states;
    this.purpose = purpose;
    Object.freeze(this);
  }

  /** No handlers at all (done by definition). */
  static fromScratch(): State {
    return new State(new Map(), undefined);
  }

  /**
   * The stored progress of the given handlers (all handlers of the resource, so
   * that records of superseded causes are seen too), as passive states.
   *
   * @throws ProgressRecordError when a stored record is unreadable.
   */
  static fromStorage(options: {
    readonly body: Body;
    readonly storage: ProgressStorage;
    readonly handlers: Iterable<HandlerRef>;
    readonly now: Moment;
  }): State {
    const states = new Map<HandlerId, HandlerState>();
    for (const handler of options.handlers) {
      const id = idOf(handler);
      if (states.has(id)) continue;
      const state = fetchState(options.storage, id, options.body, options.now);
      if (state !== undefined) states.set(id, state);
    }
    return new State(states, undefined);
  }

  /**
   * This state for the cause `purpose`; the given handlers' states are re-purposed
   * to it (for handlers kept across causes, e.g. resume handlers mixed into an update).
   *
   * @throws HandlerStateError when a given handler has no state.
   */
  withPurpose(purpose: Reason | undefined, handlers: Iterable<HandlerRef> = []): State {
    const states = new Map(this.#states);
    for (const id of [...handlers].map(idOf)) states.set(id, this.#require(id).withPurpose(purpose));
    return new State(states, purpose);
  }

  /** The handlers selected for this cause become active; new ones start at `now` with this purpose. */
  withHandlers(handlers: Iterable<HandlerRef>, now: Moment): State {
    const states = new Map(this.#states);
    for (const id of [...handlers].map(idOf)) {
      const existing = states.get(id);
      states.set(id, existing ? existing.asActive() : HandlerState.fromScratch(now, this.purpose));
    }
    return new State(states, this.purpose);
  }

  /**
   * The state after the given handlers' attempts that ended at `now`.
   *
   * @throws HandlerStateError when an outcome is for a handler without a state.
   */
  withOutcomes(outcomes: HandlerOutcomes, now: Moment): State {
    const entries: [HandlerId, HandlerOutcome][] =
      outcomes instanceof Map ? [...outcomes] : Object.entries(outcomes as Record<HandlerId, HandlerOutcome>);
    const unknown = entries.map(([id]) => id).filter((id) => !this.#states.has(id));
    if (unknown.length > 0) {
      throw new HandlerStateError(
        `Applying handler outcomes failed: no state for ${unknown.map((id) => `'${id}'`).join(', ')}. ` +
          'Add the handlers with withHandlers() before reporting their outcomes.',
      );
    }
    const states = new Map(this.#states);
    for (const [id, outcome] of entries) states.set(id, this.#require(id).withOutcome(outcome, now));
    return new State(states, this.purpose);
  }

  /** Without the handlers that succeeded (failed and unfinished ones stay). */
  withoutSuccesses(): State {
    const states = new Map([...this.#states].filter(([, state]) => !state.success));
    return new State(states, this.purpose);
  }

  /** Writes the records that differ from what is stored (new, or changed by outcomes). */
  storeInto(options: {
    readonly body: Body;
    readonly patch: Patch;
    readonly storage: ProgressStorage;
  }): void {
    for (const [id, state] of this.#states) {
      if (state.isChanged) options.storage.store(id, state.toRecord(), options.body, options.patch);
    }
  }

  /**
   * Removes the records of the given handlers, of every other handler in this
   * state, and of all their sub-handlers: stored ones are nulled in the patch,
   * ones only written into the patch are taken back (so a cause completed within
   * one cycle leaves no trace at all).
   */
  purgeFrom(options: {
    readonly body: Body;
    readonly patch: Patch;
    readonly storage: ProgressStorage;
    readonly handlers: Iterable<HandlerRef>;
  }): void {
    const { body, patch, storage } = options;
    const ids = new Set([...options.handlers].map(idOf));
    for (const id of ids) storage.purge(id, body, patch);
    for (const [id, state] of this.#states) {
      if (!ids.has(id)) storage.purge(id, body, patch);
      for (const subref of state.subrefs) storage.purge(subref, body, patch);
    }
  }

  /** How many handlers have a state. */
  get size(): number {
    return this.#states.size;
  }

  /** Whether the handler has a state. */
  has(id: HandlerId): boolean {
    return this.#states.has(id);
  }

  /** The handler's state, if any. */
  get(id: HandlerId): HandlerState | undefined {
    return this.#states.get(id);
  }

  /** The handler ids, in the order their states were added. */
  ids(): HandlerId[] {
    return [...this.#states.keys()];
  }

  /** Iterates over every handler id with its state. */
  [Symbol.iterator](): Iterator<[HandlerId, HandlerState]> {
    return this.#states.entries();
  }

  /** Every active handler is finished (true when there are none). */
  get isDone(): boolean {
    return [...this.#states.values()].every((state) => !state.active || state.isFinished);
  }

  /** Seconds until each unfinished active handler may run again (0 when due now). */
  delays(now: Moment): number[] {
    return [...this.#states.values()]
      .filter((state) => state.active && !state.isFinished)
      .map((state) => state.delay(now) ?? 0);
  }

  /** Seconds until the next unfinished active handler may run; `undefined` when none is left. */
  delay(now: Moment): number | undefined {
    const delays = this.delays(now);
    return delays.length > 0 ? Math.min(...delays) : undefined;
  }

  /** Counters of this cause's handlers (and of purpose-less records of older Kopf versions). */
  get counts(): StateCounters {
    const states = [...this.#states.values()].filter(
      (state) => this.purpose === undefined || state.purpose === undefined || state.purpose === this.purpose,
    );
    return countOf(states);
  }

  /** Counters of other causes' records, by their purpose: the causes this one supersedes. */
  get extras(): ReadonlyMap<Reason, StateCounters> {
    const others = [...this.#states.values()].filter(
      (state) => state.purpose !== undefined && state.purpose !== this.purpose,
    );
    const purposes = new Set(others.map((state) => state.purpose as Reason));
    const extras = new Map<Reason, StateCounters>();
    for (const purpose of purposes) extras.set(purpose, countOf(others.filter((s) => s.purpose === purpose)));
    return extras;
  }

  #require(id: HandlerId): HandlerState {
    const state = this.#states.get(id);
    if (state === undefined) {
      throw new HandlerStateError(
        `Re-purposing handler states failed: no state for '${id}'. ` +
          'Add the handler with withHandlers() first.',
      );
    }
    return state;
  }
}
