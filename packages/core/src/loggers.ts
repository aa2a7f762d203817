/**
 * The logger handlers receive. The reactor creates one per object (messages
 * prefixed with `[namespace/name]`, optionally mirrored as Kubernetes Events) and
 * one per activity; core only declares the shape and Kopf's level names, so
 * handlers written for Python Kopf (`logger.warning(...)`) port over unchanged.
 */

/** Kopf's (Python's) level names, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** Numeric weights of {@link LogLevel}, as in Python's `logging` (10, 20, 30, 40, 50). */
export const LOG_LEVELS: Readonly<Record<LogLevel, number>> = Object.freeze({
  debug: 10,
  info: 20,
  warning: 30,
  error: 40,
  critical: 50,
});

/**
 * Whether a message of `level` passes a `threshold` (e.g. `settings.posting.level`).
 *
 * @example
 * isLevelEnabled('warning', 'info'); // true
 * isLevelEnabled('debug', 'info');   // false
 */
export function isLevelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS[level] >= LOG_LEVELS[threshold];
}

/**
 * A logger as handlers see it. `details` may carry an `Error` (logged with its stack)
 * or structured values (rendered by the configured log format).
 *
 * @example
 * on.create('kopfexamples', ({ spec, logger }) => {
 *   logger.info(`And here we are! Creating: ${JSON.stringify(spec)}`);
 *   logger.warning('spec.size is missing; using 1');
 * });
 */
export interface Logger {
  /** Logs at the debug level (shown with `--verbose`). */
  debug(message: string, ...details: unknown[]): void;
  /** Logs at the info level. */
  info(message: string, ...details: unknown[]): void;
  /** Kopf's name for the warning level. */
  warning(message: string, ...details: unknown[]): void;
  /** The same as {@link Logger.warning}, for JavaScript habits. */
  warn(message: string, ...details: unknown[]): void;
  /** Logs at the error level. */
  error(message: string, ...details: unknown[]): void;
}
