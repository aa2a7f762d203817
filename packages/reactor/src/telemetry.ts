/**
 * What the engine tells the outside about its work, beyond log lines: each handler
 * attempt with its outcome and duration, objects that got stuck, daemons and timers
 * starting and stopping. The operator turns these reports into its
 * lifecycle events (for a host service) and into Prometheus metrics; the engine
 * modules only call the {@link Telemetry} they are given.
 */
import {
  buildObjectReference,
  type DaemonStoppingReason,
  type Handler,
  type HandlerId,
  type HandlerKind,
  type KubernetesObject,
  type ObjectReference,
} from '@kopf/core';
import type { Outcome } from './execution.js';

/** How one handler attempt ended. */
export type HandlerOutcomeKind = 'success' | 'temporary' | 'permanent';

/** One handler attempt, as reported by `handlerSucceeded`/`handlerFailed`. */
export interface HandlerReport {
  readonly handler: HandlerId;
  readonly kind: HandlerKind;
  /** The resource as `plural.version.group`; `undefined` for activities. */
  readonly resource: string | undefined;
  /** The object handled; `undefined` for activities. */
  readonly object: ObjectReference | undefined;
  readonly outcome: HandlerOutcomeKind;
  /** The attempt number (0 for the first). */
  readonly retry: number;
  /** Seconds the attempt took. */
  readonly duration: number;
  /** The failure, if it failed. */
  readonly error?: unknown;
  /** The log line about the attempt ("Handler 'x' succeeded."). */
  readonly message: string;
}

/** Why an object is reported as stuck. */
export type StuckReason = 'retrying' | 'throttled';

/** An object that keeps failing (`objectStuck`). */
export interface StuckReport {
  readonly reason: StuckReason;
  readonly resource: string;
  readonly object: ObjectReference;
  /** The handler that keeps failing (for `retrying`). */
  readonly handler?: HandlerId;
  /** Failed attempts so far (for `retrying`). */
  readonly attempts?: number;
  readonly error?: unknown;
}

/** A daemon or timer of one object (`daemonStarted`/`daemonStopped`). */
export interface DaemonReport {
  readonly handler: HandlerId;
  readonly kind: 'daemon' | 'timer';
  readonly resource: string;
  readonly object: ObjectReference;
  /** Why it stopped (`daemonStopped` only); `undefined` when it exited on its own. */
  readonly reason?: DaemonStoppingReason | undefined;
}

/** The receiver of the engine's reports. Every method must be cheap and must not throw. */
export interface Telemetry {
  handlerDone(report: HandlerReport): void;
  objectStuck(report: StuckReport): void;
  daemonStarted(report: DaemonReport): void;
  daemonStopped(report: DaemonReport): void;
}

/** A telemetry that ignores everything (for tests and tools). */
export const silentTelemetry: Telemetry = {
  handlerDone: () => {},
  objectStuck: () => {},
  daemonStarted: () => {},
  daemonStopped: () => {},
};

/** The outcome of an attempt in three words (an ignored error counts as a success, as in Kopf). */
export function outcomeKind(outcome: Outcome): HandlerOutcomeKind {
  if (!outcome.final) return 'temporary';
  return outcome.error === undefined ? 'success' : 'permanent';
}

/** The report of one attempt of a handler. */
export function handlerReport(
  handler: Handler,
  outcome: Outcome,
  attempt: { readonly retry: number; readonly duration: number },
  about: { readonly resource?: string | undefined; readonly body?: KubernetesObject | undefined },
): HandlerReport {
  return {
    handler: handler.id,
    kind: handler.kind,
    resource: about.resource,
    object: about.body ? buildObjectReference(about.body) : undefined,
    outcome: outcomeKind(outcome),
    retry: attempt.retry,
    duration: attempt.duration,
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    message: outcome.report,
  };
}
