/**
 * The progress of one handler within one cause (Kopf's `HandlerState` of
 * `kopf/_core/actions/progression.py`): when it started, how many attempts it
 * made, whether it succeeded or failed for good, and until when it sleeps before
 * the next attempt. Immutable: outcomes produce new states. Read from and turned
 * back into the stored `ProgressRecord` byte for byte, so a record that did not
 * change is recognised as unchanged and never rewritten.
 *
 * Time is always passed in (`now`); nothing here reads the clock.
 */

import type { HandlerId, ProgressRecord, Reason } from '@kopf/core';
import { pythonEquals } from './diffs.js';
import { messageOf } from './thrown-values.js';
import type { Moment } from './timestamps.js';
import { Timestamp } from './timestamps.js';

/** What one attempt of a handler came to, as the engine reports it. */
export interface HandlerOutcome {
  /** The handler is done with this cause: succeeded, or failed for good. */
  readonly final: boolean;
  /** Seconds until the next attempt (Kopf's unit); `undefined`/`null` when none is scheduled. */
  readonly delay?: number | null | undefined;
  /**
   * The error of this attempt; `undefined` when it succeeded. Its message (for an
   * `Error`, else `String(error)`) becomes the record's `message`.
   */
  readonly error?: unknown;
  /** Ids of the sub-handlers of all levels that this attempt ran (`parent/child`). */
  readonly subrefs?: readonly HandlerId[] | undefined;
}

interface HandlerStateFields {
  readonly active: boolean;
  readonly started: Timestamp;
  readonly stopped: Timestamp | undefined;
  readonly delayed: Timestamp | undefined;
  readonly purpose: Reason | undefined;
  readonly retries: number;
  readonly success: boolean;
  readonly failure: boolean;
  readonly message: string | undefined;
  readonly subrefs: readonly HandlerId[];
  readonly origin: ProgressRecord | undefined;
}

function parseOptional(text: unknown): Timestamp | undefined {
  return typeof text === 'string' ? Timestamp.parse(text) : undefined;
}

/**
 * The error's message as kept in the progress record. Annotations are limited to
 * 256 KiB per object in total, so a huge message is cut rather than making the
 * whole patch (and every other handler's progress) fail.
 */
function storedMessage(error: unknown): string {
  const message = messageOf(error);
  if (message.length <= MAX_STORED_MESSAGE) return message;
  return `${message.slice(0, MAX_STORED_MESSAGE)}… (${message.length - MAX_STORED_MESSAGE} more characters)`;
}

const MAX_STORED_MESSAGE = 10_000;

/** Python's `sorted(set(...))` of handler ids. */
function sortedUnique(ids: Iterable<HandlerId>): HandlerId[] {
  return [...new Set(ids)].sort();
}

/** One handler's progress; see the module description. */
export class HandlerState {
  /** Selected for the current cause (counts for `isDone`/delays), or only carried along for counters and purging. */
  readonly active: boolean;
  /** The first attempt (or when the state was created). */
  readonly started: Timestamp;
  /** When it finished (succeeded or failed for good). */
  readonly stopped: Timestamp | undefined;
  /** Not to be retried before this moment. */
  readonly delayed: Timestamp | undefined;
  /** The cause this state belongs to; `undefined` for records of older Kopf versions. */
  readonly purpose: Reason | undefined;
  /** Attempts made so far (the handler's `retry` kwarg). */
  readonly retries: number;
  readonly success: boolean;
  readonly failure: boolean;
  /** The error message of the last attempt. */
  readonly message: string | undefined;
  /** Sub-handler ids of all levels, sorted. */
  readonly subrefs: readonly HandlerId[];
  /** The record this state was read from, to tell whether it changed. */
  readonly origin: ProgressRecord | undefined;

  private constructor(fields: HandlerStateFields) {
    this.active = fields.active;
    this.started = fields.started;
    this.stopped = fields.stopped;
    this.delayed = fields.delayed;
    this.purpose = fields.purpose;
    this.retries = fields.retries;
    this.success = fields.success;
    this.failure = fields.failure;
    this.message = fields.message;
    this.subrefs = Object.freeze([...fields.subrefs]);
    this.origin = fields.origin;
    Object.freeze(this);
  }

  /** A new, active state of a handler never attempted in this cause. */
  static fromScratch(now: Moment, purpose?: Reason): HandlerState {
    return new HandlerState({
      active: true,
      started: Timestamp.of(now),
      stopped: undefined,
      delayed: undefined,
      purpose,
      retries: 0,
      success: false,
      failure: false,
      message: undefined,
      subrefs: [],
      origin: undefined,
    });
  }

  /**
   * A passive state from a stored record, read as leniently as Kopf does
   * (missing fields default; a missing `started` becomes `now`).
   *
   * @throws TimestampParseError when a timestamp field is not ISO-8601.
   */
  static fromRecord(record: ProgressRecord, now: Moment): HandlerState {
    const subrefs = Array.isArray(record.subrefs) ? record.subrefs.map(String) : [];
    return new HandlerState({
      active: false,
      started: parseOptional(record.started) ?? Timestamp.of(now),
      stopped: parseOptional(record.stopped),
      delayed: parseOptional(record.delayed),
      purpose: record.purpose ? record.purpose : undefined,
      retries: typeof record.retries === 'number' ? record.retries : 0,
      success: Boolean(record.success),
      failure: Boolean(record.failure),
      message: record.message === undefined || record.message === null ? undefined : String(record.message),
      subrefs,
      origin: record,
    });
  }

  /** Succeeded or failed for good. */
  get isFinished(): boolean {
    return this.success || this.failure;
  }

  /** Not finished and delayed into the future of `now`. */
  isSleeping(now: Moment): boolean {
    return !this.isFinished && this.delayed !== undefined && this.delayed.secondsSince(Timestamp.of(now)) > 0;
  }

  /** Not finished and not sleeping: may be attempted at `now`. */
  isAwake(now: Moment): boolean {
    return !this.isFinished && !this.isSleeping(now);
  }

  /** Seconds since the first attempt (the handler's `runtime` kwarg). */
  runtime(now: Moment): number {
    return Timestamp.of(now).secondsSince(this.started);
  }

  /** Seconds from `now` until it may be attempted (0 if due); `undefined` when finished. */
  delay(now: Moment): number | undefined {
    if (this.isFinished) return undefined;
    return this.delayed === undefined ? 0 : Math.max(0, this.delayed.secondsSince(Timestamp.of(now)));
  }

  /** The same state, selected for the current cause. */
  asActive(): HandlerState {
    return new HandlerState({ ...this.#fields(), active: true });
  }

  /** The same state, belonging to another cause. */
  withPurpose(purpose: Reason | undefined): HandlerState {
    return new HandlerState({ ...this.#fields(), purpose });
  }

  /**
   * The state after an attempt that ended at `now`: one more retry; finished as
   * success or failure if final; delayed if the outcome asks for a delay.
   */
  withOutcome(outcome: HandlerOutcome, now: Moment): HandlerState {
    const at = Timestamp.of(now);
    const failed = outcome.error !== undefined;
    const delay = outcome.delay ?? undefined;
    return new HandlerState({
      ...this.#fields(),
      stopped: this.stopped ?? (outcome.final ? at : undefined),
      delayed: delay === undefined ? undefined : at.plusSeconds(delay),
      success: outcome.final && !failed,
      failure: outcome.final && failed,
      retries: this.retries + 1,
      message: failed ? storedMessage(outcome.error) : undefined,
      subrefs: sortedUnique([...this.subrefs, ...(outcome.subrefs ?? [])]),
    });
  }

  /** The record to store: every field in Kopf's order, `null` where unset (Kopf's `for_storage`). */
  toRecord(): ProgressRecord {
    return {
      started: this.started.format(),
      stopped: this.stopped?.format() ?? null,
      delayed: this.delayed?.format() ?? null,
      purpose: this.purpose ?? null,
      retries: this.retries,
      success: this.success,
      failure: this.failure,
      message: this.message ?? null,
      subrefs: this.subrefs.length > 0 ? sortedUnique(this.subrefs) : null,
    };
  }

  /** The record as the cluster keeps it: without the `null` fields. */
  toStoredRecord(): ProgressRecord {
    const entries = Object.entries(this.toRecord()).filter(([, value]) => value !== null);
    return Object.fromEntries(entries) as ProgressRecord;
  }

  /** Whether storing this state would change what is stored (always, if it was never stored). */
  get isChanged(): boolean {
    return this.origin === undefined || !pythonEquals(this.toStoredRecord(), this.origin);
  }

  #fields(): HandlerStateFields {
    return { ...this };
  }
}
