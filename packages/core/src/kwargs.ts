/**
 * The one argument every handler receives: its kwargs, typed per handler kind
 * (Kopf's keyword arguments, section 1.3 of the reference). The types take the
 * operator's `Spec`/`Status` so `spec`, `status`, `body`, `old` and `new` are typed;
 * the reactor fills the values (see `handlerKwargs` in `invoking.ts`).
 *
 * Module order note: kwargs come before handlers here (not after), because handler
 * records and filter callbacks are typed by the kwargs they receive.
 */
import type { Body, ObjectMeta, RawEvent, RawEventType } from './bodies.js';
import type { Activity, UserInfo, WebhookOperation } from './causes.js';
import type { ApiClient } from './clients.js';
import type { Diff } from './diffs.js';
import type { Indexes, Memo } from './ephemera.js';
import type { Logger } from './loggers.js';
import type { Patch } from './patches.js';
import type { Reason } from './persistence.js';
import type { Resource } from './resources.js';
import type { OperatorSettings } from './settings.js';
import type { DaemonStopped } from './stoppers.js';

/** The `spec` type when the operator gives none: any fields, to be narrowed. */
export type DefaultSpec = Record<string, unknown>;

/** The `status` type when the operator gives none. */
export type DefaultStatus = Record<string, unknown>;

/**
 * The essence of an object as `old`/`new` of changing handlers: spec, labels,
 * annotations and any fields that handlers' `field` options name.
 */
export interface Essence<Spec = DefaultSpec, Status = DefaultStatus> {
  readonly spec?: Spec;
  readonly status?: Partial<Status>;
  readonly metadata?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** Kwargs of every handler. */
export interface CommonKwargs {
  /** Per-object (or per-activity) logger. */
  readonly logger: Logger;
  /** Operator-wide in activities; a per-object shallow copy of it in resource handlers. */
  readonly memo: Memo;
  /** Every `on.index` by its id; complete before any resource handler runs. */
  readonly indexes: Indexes;
}

/** Kwargs about the current invocation (not given to filter callbacks). */
export interface InvocationKwargs {
  /**
   * The operator's own API client: the same cluster and credentials as the operator
   * (login handlers, a fake server in tests). Use it with `@kopf/k8s`'s functions.
   */
  readonly client: ApiClient;
  /** The handler's `param` option. */
  readonly param: unknown;
  /** 0 on the first attempt. */
  readonly retry: number;
  /** The first attempt's time (kept on the object across restarts). */
  readonly started: Date;
  /** Seconds since the first attempt. */
  readonly runtime: number;
}

/** Kwargs of `on.startup`, `on.cleanup`, `on.login`, `on.probe`. */
export interface ActivityKwargs extends CommonKwargs, Omit<InvocationKwargs, 'client'> {
  /** The operator's API client; `undefined` in login handlers (they make the connection). */
  readonly client: ApiClient | undefined;
  readonly activity: Activity;
  /** The operator's settings; startup handlers may change them. */
  readonly settings: OperatorSettings;
}

/** Kwargs about one object, common to all resource handlers and their filter callbacks. */
export interface ResourceKwargs<Spec = DefaultSpec, Status = DefaultStatus> extends CommonKwargs {
  /** The served resource (as discovered). */
  readonly resource: Resource;
  readonly body: Body<Spec, Status>;
  /** `body.spec`, or `{}` when absent. */
  readonly spec: Spec;
  /** `body.metadata`, or `{}`. */
  readonly meta: ObjectMeta;
  /** `body.status`, or `{}`. */
  readonly status: Partial<Status>;
  readonly uid: string | undefined;
  readonly name: string | undefined;
  /** `undefined` for cluster-scoped objects. */
  readonly namespace: string | undefined;
  /** `{}` when absent. */
  readonly labels: Readonly<Record<string, string>>;
  /** `{}` when absent. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Changes to apply to this object after the handler(s). */
  readonly patch: Patch;
}

/** What changing handlers' filter callbacks receive. */
export interface ChangingCauseKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends ResourceKwargs<Spec, Status> {
  readonly reason: Reason;
  readonly diff: Diff;
  /** The last handled essence; `undefined` on creation. */
  readonly old: Essence<Spec, Status> | undefined;
  /** The current essence. */
  readonly new: Essence<Spec, Status> | undefined;
}

/** Kwargs of `on.create`, `on.update`, `on.delete`, `on.resume` (without `field`). */
export interface ChangingKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends ChangingCauseKwargs<Spec, Status>,
    InvocationKwargs {}

/**
 * Kwargs of `on.field` and of changing handlers with a `field` option: `old`, `new`
 * and `diff` are reduced to that field.
 */
export interface FieldKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends Omit<ChangingKwargs<Spec, Status>, 'old' | 'new'> {
  /** The field's last handled value; `undefined` when absent. */
  readonly old: unknown;
  /** The field's current value; `undefined` when absent. */
  readonly new: unknown;
}

/** What `on.event` filter callbacks receive. */
export interface WatchingCauseKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends ResourceKwargs<Spec, Status> {
  /** `null` for objects from the initial listing. */
  readonly type: RawEventType;
  readonly event: RawEvent<Body<Spec, Status>>;
}

/** Kwargs of `on.event`. */
export interface EventKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends WatchingCauseKwargs<Spec, Status>,
    InvocationKwargs {}

/** Kwargs of `on.daemon` and `on.timer`. */
export interface SpawningKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends ResourceKwargs<Spec, Status>,
    InvocationKwargs {
  /** The stop flag: poll `stopped.aborted`, `await stopped.wait(seconds)`, pass `stopped.signal`. */
  readonly stopped: DaemonStopped;
}

/** Kwargs of `on.daemon`. */
export type DaemonKwargs<Spec = DefaultSpec, Status = DefaultStatus> = SpawningKwargs<Spec, Status>;

/** Kwargs of `on.timer`. */
export type TimerKwargs<Spec = DefaultSpec, Status = DefaultStatus> = SpawningKwargs<Spec, Status>;

/** Kwargs of `on.index`. */
export interface IndexKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends ResourceKwargs<Spec, Status>,
    InvocationKwargs {}

/** What admission handlers' filter callbacks receive. */
export interface WebhookCauseKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends ResourceKwargs<Spec, Status> {
  readonly dryrun: boolean;
  /** Push warnings here; they are returned to the client (kubectl prints them). */
  readonly warnings: string[];
  readonly userinfo: UserInfo;
  readonly headers: Readonly<Record<string, string>>;
  readonly sslpeer: Readonly<Record<string, unknown>> | undefined;
  readonly operation: WebhookOperation | undefined;
  /** e.g. `'status'`, `'scale'`; `undefined` for the main body. */
  readonly subresource: string | undefined;
  /** The stored object (UPDATE, DELETE). */
  readonly old: Body<Spec, Status> | undefined;
  /** The object as submitted (CREATE, UPDATE). */
  readonly new: Body<Spec, Status> | undefined;
  readonly diff: Diff | undefined;
}

/** Kwargs of `on.validate` and `on.mutate`. */
export interface WebhookKwargs<Spec = DefaultSpec, Status = DefaultStatus>
  extends WebhookCauseKwargs<Spec, Status>,
    InvocationKwargs {}

/**
 * What a handler may return: a JSON-serialisable value (objects are merged into
 * `status.<id>`, other values replace it) or nothing.
 */
export type HandlerResult = string | number | boolean | null | undefined | object;

/** What a handler function may return: a result, nothing, or a promise of either. */
export type HandlerReturn<Result = HandlerResult> = Result | void | Promise<Result> | Promise<void>;

/** A handler function: one kwargs argument, a result or a promise of it (or nothing). */
export type HandlerFn<Kwargs, Result = HandlerResult> = (kwargs: Kwargs) => HandlerReturn<Result>;
