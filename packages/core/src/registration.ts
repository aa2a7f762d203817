/**
 * The typed call signatures of `on.*`: which arguments each kind accepts and what
 * its handler receives. Every resource kind takes a selector (1–3 positional parts,
 * an object or a predicate), optional options, and the handler — or, without the
 * handler, returns a standard method decorator. `Spec`/`Status` type parameters
 * type `spec`, `status`, `body`, `old` and `new`.
 */
import type { ConnectionInfo } from './credentials.js';
import type { FieldSpec } from './diffs.js';
import type {
  ActivityHandler,
  ChangingHandler,
  DaemonHandler,
  EventHandler,
  IndexHandler,
  TimerHandler,
  WebhookHandler,
} from './handlers.js';
import type {
  ActivityKwargs,
  ChangingKwargs,
  DefaultSpec,
  DefaultStatus,
  EventKwargs,
  FieldKwargs,
  HandlerFn,
  HandlerResult,
  HandlerReturn,
  IndexKwargs,
  SpawningKwargs,
  WebhookKwargs,
} from './kwargs.js';
import type {
  ActivityOptions,
  CreateOptions,
  DaemonOptions,
  DeleteOptions,
  EventOptions,
  FieldOptions,
  IndexOptions,
  ResumeOptions,
  TimerOptions,
  UpdateOptions,
  WebhookOptions,
} from './options.js';
import type { Registry } from './registry.js';
import type { SelectorArgs } from './resources.js';

/** The `registry` option every `on.*` accepts: register there instead of the default registry. */
export interface RegistryOption {
  readonly registry?: Registry;
}

/** Options that bind a changing handler to a field: its kwargs become the field's. */
export interface WithField {
  readonly field: FieldSpec;
}

/**
 * A standard (TC39, TypeScript 5+) method decorator registering the method as a
 * handler: instance methods when an instance is constructed (bound to it), static
 * methods when the class is defined. The default id is the method's name.
 *
 * @typeParam Kwargs - The kwargs the decorated method receives.
 * @typeParam Result - What the decorated method may return.
 * @typeParam This - The class whose method is decorated.
 * @typeParam Method - The decorated method: it receives the handler's kwargs.
 */
export type HandlerDecorator<Kwargs, Result = HandlerResult> = <
  This,
  Method extends (this: This, kwargs: Kwargs) => HandlerReturn<Result>,
>(
  method: Method,
  context: ClassMethodDecoratorContext<This, Method>,
) => void;

/** The options type of each changing kind. */
export type ChangingOptionsOf<Kind, Spec, Status> = Kind extends 'update'
  ? UpdateOptions<Spec, Status>
  : Kind extends 'delete'
    ? DeleteOptions<Spec, Status>
    : Kind extends 'resume'
      ? ResumeOptions<Spec, Status>
      : CreateOptions<Spec, Status>;

/** `on.create`, `on.update`, `on.delete`, `on.resume`. */
export interface OnChanging<Kind extends 'create' | 'update' | 'delete' | 'resume'> {
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, HandlerFn<ChangingKwargs<Spec, Status>>]
  ): ChangingHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [
      ...S,
      ChangingOptionsOf<Kind, Spec, Status> & WithField & RegistryOption,
      HandlerFn<FieldKwargs<Spec, Status>>,
    ]
  ): ChangingHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [
      ...S,
      ChangingOptionsOf<Kind, Spec, Status> & RegistryOption,
      HandlerFn<ChangingKwargs<Spec, Status>>,
    ]
  ): ChangingHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S]
  ): HandlerDecorator<ChangingKwargs<Spec, Status>>;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, ChangingOptionsOf<Kind, Spec, Status> & WithField & RegistryOption]
  ): HandlerDecorator<FieldKwargs<Spec, Status>>;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, ChangingOptionsOf<Kind, Spec, Status> & RegistryOption]
  ): HandlerDecorator<ChangingKwargs<Spec, Status>>;
}

/** `on.field`: the `field` option is required; `old`/`new` are the field's values. */
export interface OnField {
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, FieldOptions<Spec, Status> & RegistryOption, HandlerFn<FieldKwargs<Spec, Status>>]
  ): ChangingHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, FieldOptions<Spec, Status> & RegistryOption]
  ): HandlerDecorator<FieldKwargs<Spec, Status>>;
}

/** `on.event`. */
export interface OnEvent {
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, HandlerFn<EventKwargs<Spec, Status>>]
  ): EventHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, EventOptions<Spec, Status> & RegistryOption, HandlerFn<EventKwargs<Spec, Status>>]
  ): EventHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S]
  ): HandlerDecorator<EventKwargs<Spec, Status>>;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, EventOptions<Spec, Status> & RegistryOption]
  ): HandlerDecorator<EventKwargs<Spec, Status>>;
}

/** The options and record type of daemons and timers. */
type SpawningOptionsOf<Kind, Spec, Status> = Kind extends 'daemon'
  ? DaemonOptions<Spec, Status>
  : TimerOptions<Spec, Status>;
type SpawningHandlerOf<Kind> = Kind extends 'daemon' ? DaemonHandler : TimerHandler;

/** `on.daemon` and `on.timer`. */
export interface OnSpawning<Kind extends 'daemon' | 'timer'> {
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, HandlerFn<SpawningKwargs<Spec, Status>>]
  ): SpawningHandlerOf<Kind>;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [
      ...S,
      SpawningOptionsOf<Kind, Spec, Status> & RegistryOption,
      HandlerFn<SpawningKwargs<Spec, Status>>,
    ]
  ): SpawningHandlerOf<Kind>;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S]
  ): HandlerDecorator<SpawningKwargs<Spec, Status>>;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, SpawningOptionsOf<Kind, Spec, Status> & RegistryOption]
  ): HandlerDecorator<SpawningKwargs<Spec, Status>>;
}

/** `on.index`: the handler returns what to index (see the README). */
export interface OnIndex {
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, HandlerFn<IndexKwargs<Spec, Status>>]
  ): IndexHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, IndexOptions<Spec, Status> & RegistryOption, HandlerFn<IndexKwargs<Spec, Status>>]
  ): IndexHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S]
  ): HandlerDecorator<IndexKwargs<Spec, Status>>;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, IndexOptions<Spec, Status> & RegistryOption]
  ): HandlerDecorator<IndexKwargs<Spec, Status>>;
}

/** `on.validate` and `on.mutate`: reject with `AdmissionError`; mutate through `patch`. */
export interface OnWebhook {
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, HandlerFn<WebhookKwargs<Spec, Status>>]
  ): WebhookHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, WebhookOptions<Spec, Status> & RegistryOption, HandlerFn<WebhookKwargs<Spec, Status>>]
  ): WebhookHandler;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S]
  ): HandlerDecorator<WebhookKwargs<Spec, Status>>;
  <Spec = DefaultSpec, Status = DefaultStatus, S extends SelectorArgs = SelectorArgs>(
    ...args: [...S, WebhookOptions<Spec, Status> & RegistryOption]
  ): HandlerDecorator<WebhookKwargs<Spec, Status>>;
}

/** `on.startup`, `on.cleanup`, `on.probe` (probe results go to the liveness endpoint). */
export interface OnActivity<Result = HandlerResult> {
  (fn: HandlerFn<ActivityKwargs, Result>): ActivityHandler;
  (options: ActivityOptions & RegistryOption, fn: HandlerFn<ActivityKwargs, Result>): ActivityHandler;
  (options?: ActivityOptions & RegistryOption): HandlerDecorator<ActivityKwargs, Result>;
}

/** `on.login`: returns the credentials to use, or nothing. */
export type OnLogin = OnActivity<ConnectionInfo | null | undefined>;
