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
export type { Diff, DiffItem, DiffOperation, FieldPath } from './diffs.js';
export type { AdmissionErrorOptions, TemporaryErrorOptions } from './errors.js';
export {
  AdmissionError,
  ErrorsMode,
  HandlerOptionsError,
  HandlerRetriesError,
  HandlerTimeoutError,
  KopfError,
  PermanentError,
  TemporaryError,
} from './errors.js';
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
export type { Resource, ResourceSelector } from './resources.js';
export { apiVersionOf, resourceName } from './resources.js';
