/**
 * The errors a handler throws to steer the framework, and the ones the framework
 * throws at registration. Handlers throw `TemporaryError` to be retried after a
 * delay and `PermanentError` to fail for good; any other error is treated per the
 * handler's `errors` mode. Registration mistakes throw `HandlerOptionsError` at once,
 * never later at run time.
 */

/** How a handler's unexpected (not Kopf-typed) errors are treated. */
export type ErrorsMode = 'temporary' | 'permanent' | 'ignored';

/** Kopf-style constants for {@link ErrorsMode}: `errors: ErrorsMode.PERMANENT`. */
export const ErrorsMode: {
  readonly TEMPORARY: 'temporary';
  readonly PERMANENT: 'permanent';
  readonly IGNORED: 'ignored';
} = Object.freeze({ TEMPORARY: 'temporary', PERMANENT: 'permanent', IGNORED: 'ignored' });

/** The root of all errors kopf-ts defines. */
export class KopfError extends Error {
  override name = 'KopfError';
}

/**
 * A handler failure that must not be retried: the handler is marked as failed for
 * this cause, and the other handlers go on.
 *
 * @example
 * throw new PermanentError('spec.size must be positive');
 */
export class PermanentError extends KopfError {
  override name = 'PermanentError';
}

/** Options of {@link TemporaryError}. */
export interface TemporaryErrorOptions {
  /** Seconds until the retry; default 60, as in Kopf. `0` retries at once. */
  readonly delay?: number;
  readonly cause?: unknown;
}

/**
 * A handler failure that is expected to pass: the handler is retried after
 * `delay` seconds (60 by default), with `retry` incremented.
 *
 * @example
 * if (!ready) throw new TemporaryError('the database is not ready yet', { delay: 10 });
 */
export class TemporaryError extends KopfError {
  override name = 'TemporaryError';
  /** Seconds until the retry. */
  readonly delay: number;

  constructor(message?: string, options: TemporaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.delay = options.delay ?? 60;
    if (!Number.isFinite(this.delay) || this.delay < 0) {
      throw new RangeError(
        `TemporaryError delay must be a non-negative number of seconds, got ${options.delay}.`,
      );
    }
  }
}

/** The handler ran longer (since its first attempt) than its `timeout` allows. */
export class HandlerTimeoutError extends PermanentError {
  override name = 'HandlerTimeoutError';
}

/** The handler failed more times than its `retries` allow. */
export class HandlerRetriesError extends PermanentError {
  override name = 'HandlerRetriesError';
}

/** Options of {@link AdmissionError}. */
export interface AdmissionErrorOptions {
  /** The HTTP-like code reported to the client; 500 by default, as in Kopf. */
  readonly code?: number;
  readonly cause?: unknown;
}

/**
 * Rejects an admission request from a validating or mutating handler; the message
 * and code reach the client (kubectl prints them).
 *
 * @example
 * throw new AdmissionError('spec.replicas must not exceed 10', { code: 422 });
 */
export class AdmissionError extends PermanentError {
  override name = 'AdmissionError';
  readonly code: number;

  constructor(message?: string, options: AdmissionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 500;
  }
}

/**
 * A mistake in how a handler was registered (unknown option, bad filter, duplicate
 * id); thrown by `on.*` at registration time with the handler named.
 */
export class HandlerOptionsError extends KopfError {
  override name = 'HandlerOptionsError';
}

/**
 * Thrown by `execute()` (and by the reactor after a parent handler returns) while
 * some sub-handlers are not finished yet: the parent is re-invoked after `delay`
 * seconds (or on the next event). The reactor treats it as "not done, retry quietly"
 * (a DEBUG log, no Event, no retry counted as a failure). Handlers must let it pass.
 */
export class HandlerChildrenRetryError extends TemporaryError {
  override name = 'HandlerChildrenRetryError';
}

/**
 * A login handler (or a built-in login) could not produce credentials, e.g. a
 * kubeconfig without a current context.
 */
export class LoginError extends KopfError {
  override name = 'LoginError';
}

/**
 * A function that needs the object being handled (`adopt()`, `info()`, `register()`, …)
 * was called outside of a handler and was given no explicit object.
 */
export class HandlerContextError extends KopfError {
  override name = 'HandlerContextError';
}
