/**
 * Handler records: what `on.*` registers. A record is a frozen object with the
 * function, its id and every option resolved to a concrete value (Kopf's per-kind
 * defaults applied), so the reactor never re-interprets user input. Records are
 * grouped into Kopf's categories (changing, watching, spawning, indexing, activity,
 * webhook); whether one requires the finalizer is derived when it is built.
 */
import type { Activity, WebhookOperation, WebhookType } from './causes.js';
import type { ErrorsMode } from './errors.js';
import type { HandlerFilters } from './filters.js';
import type { ResourceKwargs } from './kwargs.js';
import type { HandlerId, Reason } from './persistence.js';
import type { ResourceSelector } from './resources.js';

/** Handlers of object changes: create, update, delete, resume, field, and sub-handlers. */
export type ChangingKind = 'create' | 'update' | 'delete' | 'resume' | 'field' | 'subhandler';

/** Operator-wide activities. */
export type ActivityKind = 'startup' | 'cleanup' | 'login' | 'probe';

/** Every kind of handler `on.*` can register. */
export type HandlerKind =
  | ChangingKind
  | ActivityKind
  | 'event'
  | 'timer'
  | 'daemon'
  | 'index'
  | 'validate'
  | 'mutate';

/** Kopf's registry buckets: which engine runs a handler. */
export type HandlerCategory = 'changing' | 'watching' | 'spawning' | 'indexing' | 'activity' | 'webhook';

/** The category of each kind. */
export const HANDLER_CATEGORIES: Readonly<Record<HandlerKind, HandlerCategory>> = Object.freeze({
  create: 'changing',
  update: 'changing',
  delete: 'changing',
  resume: 'changing',
  field: 'changing',
  subhandler: 'changing',
  event: 'watching',
  timer: 'spawning',
  daemon: 'spawning',
  index: 'indexing',
  startup: 'activity',
  cleanup: 'activity',
  login: 'activity',
  probe: 'activity',
  validate: 'webhook',
  mutate: 'webhook',
});

/**
 * A registered function, type-erased: call it through `invokeHandler()` (or cast),
 * which builds its kwargs.
 */
export type RegisteredFn = (kwargs: never) => unknown;

/** What every handler record has. */
export interface HandlerBase<Kind extends HandlerKind> {
  readonly kind: Kind;
  readonly id: HandlerId;
  readonly fn: RegisteredFn;
  /** Passed back as the `param` kwarg. */
  readonly param: unknown;
  /** How arbitrary errors are treated (Kopf's per-kind default applied). */
  readonly errors: ErrorsMode;
  /** Seconds since the first attempt after which the handler fails; `undefined` never. */
  readonly timeout: number | undefined;
  /** Attempts after which the handler fails; `undefined` never. */
  readonly retries: number | undefined;
  /** Seconds before a retry after an arbitrary error; `undefined` → `settings.execution.defaultBackoff`. */
  readonly backoff: number | undefined;
  /**
   * Whether objects matching this handler need the operator's finalizer: true for
   * non-optional delete handlers, daemons and timers; false otherwise.
   */
  readonly requiresFinalizer: boolean;
}

/** What every handler of objects has: the selector and the filters. */
export interface ResourceHandlerBase<Kind extends HandlerKind> extends HandlerBase<Kind>, HandlerFilters {
  /** Which resources it serves; `undefined` only for sub-handlers (they serve their parent's). */
  readonly selector: ResourceSelector | undefined;
}

/** `on.create/update/delete/resume/field` and sub-handlers. */
export interface ChangingHandler extends ResourceHandlerBase<ChangingKind> {
  /** The reason it runs for; `undefined` for field handlers and sub-handlers (any reason). */
  readonly reason: Reason | undefined;
  /** Resume handlers: run for objects of the initial listing (mixed into other causes). */
  readonly initial: boolean;
  /** Resume handlers: also run when the object is already being deleted. */
  readonly deleted: boolean;
  /** Delete handlers: no finalizer is needed for them. */
  readonly optional: boolean;
}

/** `on.event`: raw watch events, never retried. */
export interface EventHandler extends ResourceHandlerBase<'event'> {}

/** A delay computed from the object (gets the cause kwargs); returns seconds. */
export type DelayFn = (kwargs: ResourceKwargs) => number;

/** `on.timer`. */
export interface TimerHandler extends ResourceHandlerBase<'timer'> {
  /** Seconds between runs; `undefined` (with no `idle`) means once. */
  readonly interval: number | undefined;
  readonly initialDelay: number | DelayFn | undefined;
  /** Run only after the object has not changed for this many seconds. */
  readonly idle: number | undefined;
  /** Keep a fixed rhythm (interval from the previous start) rather than pausing after each run. */
  readonly sharp: boolean;
}

/** `on.daemon`. */
export interface DaemonHandler extends ResourceHandlerBase<'daemon'> {
  readonly initialDelay: number | DelayFn | undefined;
  /** Seconds to wait after signalling before cancelling (aborting) the daemon. */
  readonly cancellationBackoff: number | undefined;
  /** Seconds to wait for a cancelled daemon before abandoning it. */
  readonly cancellationTimeout: number | undefined;
  /** Seconds between checks of a daemon that does not exit. */
  readonly cancellationPolling: number | undefined;
}

/** `on.index`. */
export interface IndexHandler extends ResourceHandlerBase<'index'> {}

/** `on.startup/cleanup/login/probe`. */
export interface ActivityHandler extends HandlerBase<ActivityKind> {
  readonly activity: Activity;
}

/** `on.validate` and `on.mutate`. */
export interface WebhookHandler extends ResourceHandlerBase<'validate' | 'mutate'> {
  readonly type: WebhookType;
  /** Operations to serve; `undefined` for all. */
  readonly operations: readonly WebhookOperation[] | undefined;
  /** `undefined` for the main body only, `'*'` for all, or a name such as `'status'`. */
  readonly subresource: string | undefined;
  /** Keep the webhook configured after the operator exits. */
  readonly persistent: boolean;
  /** The handler has side effects (`sideEffects: NoneOnDryRun` rather than `None`). */
  readonly sideEffects: boolean;
  /** `failurePolicy: Ignore` rather than `Fail`. */
  readonly ignoreFailures: boolean;
}

/** Handlers of spawned per-object tasks. */
export type SpawningHandler = TimerHandler | DaemonHandler;

/** Handlers that serve objects of resources. */
export type ResourceHandler =
  | ChangingHandler
  | EventHandler
  | SpawningHandler
  | IndexHandler
  | WebhookHandler;

/** Any handler record. */
export type Handler = ResourceHandler | ActivityHandler;

/** Whether a handler serves objects (rather than being an activity). */
export function isResourceHandler(handler: Handler): handler is ResourceHandler {
  return HANDLER_CATEGORIES[handler.kind] !== 'activity';
}

/** Whether a handler reacts to object changes (incl. sub-handlers). */
export function isChangingHandler(handler: Handler): handler is ChangingHandler {
  return HANDLER_CATEGORIES[handler.kind] === 'changing';
}

/** Whether a handler is a daemon or a timer. */
export function isSpawningHandler(handler: Handler): handler is SpawningHandler {
  return HANDLER_CATEGORIES[handler.kind] === 'spawning';
}

const TITLES: Readonly<Record<HandlerCategory, string>> = {
  changing: 'Handler',
  watching: 'Handler',
  spawning: 'Handler',
  indexing: 'Indexer',
  activity: 'Activity',
  webhook: 'Webhook',
};

/**
 * How Kopf names a handler in logs and Events: `Handler 'create_fn'`,
 * `Daemon 'monitor'`, `Timer 'tick'`, `Indexer 'by_label'`, `Activity 'login'`,
 * `Webhook 'check'`.
 *
 * @example
 * logger.info(`${describeHandler(handler)} succeeded.`); // "Handler 'create_fn' succeeded."
 */
export function describeHandler(handler: Handler): string {
  const title = handler.kind === 'daemon' ? 'Daemon' : handler.kind === 'timer' ? 'Timer' : undefined;
  return `${title ?? TITLES[HANDLER_CATEGORIES[handler.kind]]} '${handler.id}'`;
}
