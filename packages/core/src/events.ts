/**
 * Kubernetes Events from handlers: `event()`, `info()`, `warn()`, `exception()`,
 * as in Kopf. They post to an `EventSink` that the reactor provides through the
 * handler context (it batches and sends them to the API); outside a handler, pass
 * `{ sink }`. `settings.posting.enabled` and `.level` (from the context) are honoured.
 */
import type { Body, ObjectReference } from './bodies.js';
import { currentHandlerContext } from './contexts.js';
import { HandlerContextError } from './errors.js';
import { buildObjectReference, walkObjects } from './hierarchies.js';
import { isLevelEnabled, type LogLevel } from './loggers.js';

/** An Event's type: Kubernetes knows `Normal` and `Warning`; Kopf also posts `Error`. */
export type EventType = 'Normal' | 'Warning' | 'Error' | (string & {});

/** One Event to post about one object. */
export interface PostedEvent {
  /** The object the Event is about (its `involvedObject`). */
  readonly ref: ObjectReference;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

/** Where Events go; the reactor implements it (never throws, never blocks). */
export interface EventSink {
  /** Queues one Event for posting; never throws (posting failures are logged by the sink). */
  post(event: PostedEvent): void;
}

/** Fields of {@link event}. */
export interface EventDetails {
  readonly type: EventType;
  readonly reason: string;
  readonly message?: string;
  /** Where to post; the handler context's sink by default. */
  readonly sink?: EventSink;
}

/** Fields of {@link info} and {@link warn}. */
export type TypedEventDetails = Omit<EventDetails, 'type'>;

/** Fields of {@link exception}. */
export interface ExceptionDetails {
  /** Default: the error's name (class), as Kopf uses the exception class. */
  readonly reason?: string;
  readonly message?: string;
  readonly error?: unknown;
  readonly sink?: EventSink;
}

/** One object or several (nested lists are flattened). */
export type EventTargets = Body | Iterable<Body | Iterable<Body>>;

function post(objs: EventTargets, type: EventType, level: LogLevel | undefined, details: EventDetails): void {
  const context = currentHandlerContext();
  const posting = context?.settings?.posting;
  if (posting && (!posting.enabled || (level !== undefined && !isLevelEnabled(level, posting.level)))) return;
  const sink = details.sink ?? context?.eventSink;
  if (sink === undefined) {
    throw new HandlerContextError(
      `Posting the '${details.reason}' event failed: there is no event sink outside of a handler; ` +
        'call it from a handler or pass { sink }.',
    );
  }
  for (const body of walkObjects(objs)) {
    sink.post({
      ref: buildObjectReference(body),
      type,
      reason: details.reason,
      message: details.message ?? '',
    });
  }
}

/**
 * Posts an Event of any type about one or several objects.
 *
 * @example
 * event(body, { type: 'Normal', reason: 'SomeReason', message: 'Some message' });
 */
export function event(objs: EventTargets, details: EventDetails): void {
  post(objs, details.type, undefined, details);
}

/**
 * Posts a `Normal` Event (if `posting.level` allows info).
 *
 * @example
 * info(body, { reason: 'Scaled', message: 'Now 3 replicas' });
 */
export function info(objs: EventTargets, details: TypedEventDetails): void {
  post(objs, 'Normal', 'info', { ...details, type: 'Normal' });
}

/**
 * Posts a `Warning` Event (if `posting.level` allows warnings).
 *
 * @example
 * warn([parent, child], { reason: 'Drift', message: 'replicas differ' });
 */
export function warn(objs: EventTargets, details: TypedEventDetails): void {
  post(objs, 'Warning', 'warning', { ...details, type: 'Warning' });
}

/**
 * Posts an `Error` Event about a failure: the reason defaults to the error's name,
 * the message is `"<message> <error message>"`.
 *
 * @example
 * try { await deploy(); } catch (error) { exception(body, { message: 'Deploy failed:', error }); }
 */
export function exception(objs: EventTargets, details: ExceptionDetails = {}): void {
  const { error } = details;
  const errorText = error === undefined ? '' : error instanceof Error ? error.message : String(error);
  const reason = details.reason || (error instanceof Error ? error.name : 'Error');
  const message = [details.message, errorText].filter((part) => part).join(' ');
  post(objs, 'Error', 'error', {
    reason,
    message,
    type: 'Error',
    ...(details.sink ? { sink: details.sink } : {}),
  });
}
