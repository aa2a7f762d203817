/**
 * @packageDocumentation
 * The handler registry and handler semantics of kopf-ts, with no I/O: what an
 * operator declares (`on.create`, `on.update`, …), the errors handlers throw, and
 * the shapes of the objects they receive. Start from `on`.
 */

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
