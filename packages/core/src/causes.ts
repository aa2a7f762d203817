/**
 * Causes: why handlers run, as the reactor detects them from watch events and the
 * stored state. A cause carries everything the handlers' kwargs are made of; the
 * registry selects handlers for a cause, the kwargs module turns a cause into
 * kwargs. `detectChangingCause()` is Kopf's pure decision of create / update /
 * delete / resume / no-op / free / gone.
 */
import type { Body, RawEvent, RawEventType } from './bodies.js';
import type { Diff } from './diffs.js';
import type { Indexes, Memo } from './ephemera.js';
import type { Logger } from './loggers.js';
import type { Patch } from './patches.js';
import type { BodyEssence, HandlerId, Reason } from './persistence.js';
import type { Resource } from './resources.js';
import type { OperatorSettings } from './settings.js';

/** What an activity handler is run for. */
export type Activity = 'startup' | 'cleanup' | 'authentication' | 'probe';

/** The two kinds of admission webhooks. */
export type WebhookType = 'validating' | 'mutating';

/** An admission request's operation. */
export type WebhookOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** All reasons a changing cause can have: the handler reasons plus the reactor's own. */
export type CauseReason = Reason | 'noop' | 'free' | 'gone';

/** Human titles of the handler reasons, as in Kopf's log lines ("Creation is processed: …"). */
export const REASON_TITLES: Readonly<Record<Reason, string>> = Object.freeze({
  create: 'creation',
  update: 'updating',
  delete: 'deletion',
  resume: 'resuming',
});

/** What every cause carries. */
export interface BaseCause {
  readonly logger: Logger;
  readonly memo: Memo;
  readonly indexes: Indexes;
}

/** An operator-wide activity: startup, cleanup, authentication (login) or probe. */
export interface ActivityCause extends BaseCause {
  readonly activity: Activity;
  readonly settings: OperatorSettings;
}

/** Anything about one object of one resource. */
export interface ResourceCause extends BaseCause {
  readonly resource: Resource;
  /** The object as last seen. For daemons, the reactor keeps updating this same object in place. */
  readonly body: Body;
  readonly patch: Patch;
}

/** A change of an object worth the changing handlers: create/update/delete/resume. */
export interface ChangingCause extends ResourceCause {
  readonly reason: CauseReason;
  /** The object comes from the initial listing and is not yet handled in this process. */
  readonly initial: boolean;
  readonly diff: Diff;
  /** The last handled essence; `undefined` for new objects. */
  readonly old: BodyEssence | undefined;
  /** The current essence. */
  readonly new: BodyEssence | undefined;
}

/** A raw watch event, for `on.event` handlers. */
export interface WatchingCause extends ResourceCause {
  readonly type: RawEventType;
  readonly event: RawEvent;
}

/** An object for which daemons and timers are spawned (or checked). */
export interface SpawningCause extends ResourceCause {}

/** An object to (re-)index. */
export interface IndexingCause extends ResourceCause {}

/** The `userInfo` of an AdmissionReview. */
export interface UserInfo {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** An admission request. */
export interface WebhookCause extends ResourceCause {
  readonly dryrun: boolean;
  /** Which kind of handlers to run; `undefined` for all. */
  readonly reason: WebhookType | undefined;
  /** Which handler the request was addressed to (the URL path); `undefined` for all. */
  readonly webhook: HandlerId | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** The verified client certificate's details, if any. */
  readonly sslpeer: Readonly<Record<string, unknown>> | undefined;
  readonly userinfo: UserInfo;
  /** Mutable: handlers push warnings returned to the client. */
  readonly warnings: string[];
  readonly operation: WebhookOperation | undefined;
  readonly subresource: string | undefined;
  readonly old: Body | undefined;
  readonly new: Body | undefined;
  readonly diff: Diff | undefined;
}

/** Whether the object is marked for deletion (`metadata.deletionTimestamp` set). */
export function isDeletionOngoing(body: Body): boolean {
  return Boolean(body.metadata?.deletionTimestamp);
}

/** Whether the object carries `finalizer`, i.e. its deletion waits for this operator. */
export function isDeletionBlocked(body: Body, finalizer: string): boolean {
  return body.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** What {@link detectChangingCause} needs besides the cause's own fields. */
export interface ChangingCauseInput extends Omit<ChangingCause, 'reason'> {
  /** The watch event's type; `null` for the initial listing. */
  readonly eventType: RawEventType;
  /** The operator's finalizer (`settings.persistence.finalizer`). */
  readonly finalizer: string;
}

/**
 * Decides the reason of a change, exactly as Kopf does, in this order: `gone`
 * (watch says DELETED), `free` (being deleted and our finalizer is gone), `delete`,
 * `create` (no stored essence; never mixed with resuming, so `initial` becomes
 * false), `resume` (no diff, initial listing), `noop` (no diff), else `update`.
 *
 * @example
 * detectChangingCause({ ...fields, eventType: 'MODIFIED', finalizer, old, new: fresh, diff }).reason;
 */
export function detectChangingCause(input: ChangingCauseInput): ChangingCause {
  const { eventType, finalizer, ...fields } = input;
  const cause = (reason: CauseReason, initial = fields.initial): ChangingCause =>
    Object.freeze({ ...fields, reason, initial });
  if (eventType === 'DELETED') return cause('gone');
  if (isDeletionOngoing(fields.body)) {
    return isDeletionBlocked(fields.body, finalizer) ? cause('delete') : cause('free');
  }
  if (fields.old === undefined) return cause('create', false);
  if (fields.diff.length === 0) return fields.initial ? cause('resume') : cause('noop');
  return cause('update');
}
