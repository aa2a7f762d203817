/**
 * @packageDocumentation
 * The handler registry and handler semantics of kopf-ts, with no I/O: what an
 * operator declares (`on.create`, `on.update`, …), the errors handlers throw, and
 * the shapes of the objects they receive. Start from `on`.
 */

export type {
  Body,
  JsonObject,
  JsonValue,
  KubernetesObject,
  ObjectMeta,
  ObjectReference,
  OwnerReference,
  RawEvent,
  RawEventType,
} from './bodies.js';
export type {
  Activity,
  ActivityCause,
  BaseCause,
  CauseReason,
  ChangingCause,
  ChangingCauseInput,
  IndexingCause,
  ResourceCause,
  SpawningCause,
  UserInfo,
  WatchingCause,
  WebhookCause,
  WebhookOperation,
  WebhookType,
} from './causes.js';
export { detectChangingCause, isDeletionBlocked, isDeletionOngoing, REASON_TITLES } from './causes.js';
export type { ApiClient, ApiRequest } from './clients.js';
export type { HandlerContext } from './contexts.js';
export { currentHandlerContext, runInHandlerContext } from './contexts.js';
export type { ConnectionInfo } from './credentials.js';
export type { DeclarationContext } from './declaring.js';
export { declareHandler } from './declaring.js';
export type { DiffSides } from './diffing.js';
export { diffValues, isMapping, pythonEquals } from './diffing.js';
export type { Diff, DiffItem, DiffOperation, FieldPath, FieldSpec } from './diffs.js';
export { parseField, reduceDiff, resolveField } from './diffs.js';

export type { Index, Indexes, IndexKey, Memo, Store } from './ephemera.js';
export { copyMemo } from './ephemera.js';
export type { AdmissionErrorOptions, TemporaryErrorOptions } from './errors.js';
export {
  AdmissionError,
  ErrorsMode,
  HandlerChildrenRetryError,
  HandlerContextError,
  HandlerOptionsError,
  HandlerRetriesError,
  HandlerTimeoutError,
  KopfError,
  LoginError,
  PermanentError,
  TemporaryError,
} from './errors.js';
export type {
  EventDetails,
  EventSink,
  EventTargets,
  EventType,
  ExceptionDetails,
  PostedEvent,
  TypedEventDetails,
} from './events.js';
export { event, exception, info, warn } from './events.js';
export type {
  Absent,
  FilterTarget,
  HandlerFilters,
  MetaFilter,
  MetaFilterCallback,
  MetaFilterValue,
  Present,
  ValueCallback,
  ValueFilter,
  WhenFilter,
} from './filters.js';
export { ABSENT, allOf, anyOf, matchFilters, noneOf, not, PRESENT } from './filters.js';
export type {
  ActivityHandler,
  ActivityKind,
  ChangingHandler,
  ChangingKind,
  DaemonHandler,
  DelayFn,
  EventHandler,
  Handler,
  HandlerBase,
  HandlerCategory,
  HandlerKind,
  IndexHandler,
  RegisteredFn,
  ResourceHandler,
  ResourceHandlerBase,
  SpawningHandler,
  TimerHandler,
  WebhookHandler,
} from './handlers.js';
export {
  describeHandler,
  HANDLER_CATEGORIES,
  isChangingHandler,
  isResourceHandler,
  isSpawningHandler,
} from './handlers.js';
export type {
  AdoptOptions,
  LabelOptions,
  NamingOptions,
  ObjectTargets,
  OwnerReferenceOptions,
} from './hierarchies.js';
export {
  adjustNamespace,
  adopt,
  appendOwnerReference,
  buildObjectReference,
  buildOwnerReference,
  harmonizeNaming,
  label,
  removeOwnerReference,
} from './hierarchies.js';
export type { Cause, Invocation, KwargsRecord } from './invoking.js';
export { causeKwargs, handlerKwargs, invokeHandler } from './invoking.js';
export type {
  ActivityKwargs,
  ChangingCauseKwargs,
  ChangingKwargs,
  CommonKwargs,
  DaemonKwargs,
  DefaultSpec,
  DefaultStatus,
  Essence,
  EventKwargs,
  FieldKwargs,
  HandlerFn,
  HandlerResult,
  HandlerReturn,
  IndexKwargs,
  InvocationKwargs,
  ResourceKwargs,
  SpawningKwargs,
  TimerKwargs,
  WatchingCauseKwargs,
  WebhookCauseKwargs,
  WebhookKwargs,
} from './kwargs.js';
export type { Lifecycle, LifecycleContext, LifecycleState } from './lifecycles.js';
export {
  allAtOnce,
  asap,
  getDefaultLifecycle,
  lifecycles,
  oneByOne,
  randomized,
  setDefaultLifecycle,
  shuffled,
} from './lifecycles.js';
export type { Logger, LogLevel } from './loggers.js';
export { isLevelEnabled, LOG_LEVELS } from './loggers.js';
export type { On } from './on.js';
export { daemon, index, on, timer } from './on.js';
export type {
  ActivityOptions,
  BehaviourOptions,
  ChangeFilterOptions,
  CreateOptions,
  DaemonOptions,
  DeleteOptions,
  EventOptions,
  FieldOptions,
  FilterOptions,
  IndexOptions,
  ResumeOptions,
  SpawningOptions,
  SubhandlerOptions,
  TimerOptions,
  UpdateOptions,
  WebhookOptions,
} from './options.js';
export { KNOWN_OPTIONS } from './options.js';
export type { PatchFn } from './patches.js';
export { Patch } from './patches.js';
export type {
  BodyEssence,
  DiffBaseStorage,
  HandlerId,
  ProgressRecord,
  ProgressStorage,
  Reason,
} from './persistence.js';
export type {
  ChangingOptionsOf,
  HandlerDecorator,
  OnActivity,
  OnChanging,
  OnEvent,
  OnField,
  OnIndex,
  OnLogin,
  OnSpawning,
  OnWebhook,
  RegistryOption,
  WithField,
} from './registration.js';
export type { HandlerOfKind, ResourceMatch } from './registry.js';
export { getDefaultRegistry, Registry, ResourceHandlers, setDefaultRegistry } from './registry.js';
export type {
  Everything,
  Resource,
  ResourcePredicate,
  ResourceSelector,
  SelectorArgs,
  SelectorKeywords,
} from './resources.js';
export {
  apiVersionOf,
  EVERYTHING,
  parseSelector,
  ResourceSelectorError,
  resourceName,
  sameSelector,
  selectorDescription,
} from './resources.js';
export type {
  AdmissionRequestHandler,
  AdmissionServer,
  AdmissionSettings,
  BackgroundSettings,
  ExecutionSettings,
  NetworkingSettings,
  OperatorSettings,
  PeeringSettings,
  PersistenceSettings,
  PostingSettings,
  ProcessSettings,
  QueueingSettings,
  ScanningSettings,
  WatchingSettings,
  WebhookClientConfig,
} from './settings.js';
export { defaultSettings } from './settings.js';
export type { DaemonStopped, DaemonStoppingReason } from './stoppers.js';
export type { ExecuteOptions, SubhandlerFn, SubhandlerRunner } from './subhandlers.js';
export { execute, register, Subhandlers, subhandler } from './subhandlers.js';
