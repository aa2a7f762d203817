/**
 * The loggers handlers and the framework write to. An object logger prefixes its
 * lines with the object (`[namespace/name]`) and, when the settings say so, mirrors
 * them as Kubernetes Events of that object (reason `Logging`); a local logger never
 * posts (the framework's own chatter); a terse logger demotes info to debug (for
 * indexers, which run on every event of every object).
 */

import {
  buildObjectReference,
  type EventSink,
  isLevelEnabled,
  type KubernetesObject,
  type Logger,
  type LogLevel,
  type OperatorSettings,
} from '@kopf/core';
import type { LogRecord, LogSink } from './logging.js';
import { messageOf } from './thrown-values.js';

export interface LoggerOptions {
  readonly sink: LogSink;
  /** The logger name in full-format lines; default `kopf.objects` for object loggers. */
  readonly name?: string;
  /** The object the lines are about; also the Events' involved object. */
  readonly body?: KubernetesObject;
  /** Posting of log lines as Events (`settings.posting`); nothing is posted without it. */
  readonly posting?: { readonly sink: EventSink; readonly settings: OperatorSettings['posting'] };
  /** Demote `info` to `debug` (Kopf's terse logger). */
  readonly terse?: boolean;
  readonly now?: () => Date;
}

const EVENT_TYPES: Record<LogLevel, string> = {
  debug: 'Debug',
  info: 'Normal',
  warning: 'Warning',
  error: 'Error',
  critical: 'Fatal',
};

/**
 * A {@link Logger} writing records to a sink, optionally mirrored as Events.
 *
 * @example
 * const logger = createLogger({ sink: streamSink(), body });
 * logger.info("Handler 'create_fn' succeeded.");
 */
export function createLogger(
  options: LoggerOptions,
): Logger & { log(level: LogLevel, message: string, error?: unknown): void } {
  const object = options.body ? buildObjectReference(options.body) : undefined;
  const name = options.name ?? (object ? 'kopf.objects' : 'kopf');
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel, message: string, ...details: unknown[]): void => {
    const effective = options.terse && level === 'info' ? 'debug' : level;
    const error = details.find((detail) => detail instanceof Error);
    const extra = details.filter((detail) => !(detail instanceof Error)).map(messageOf);
    const text = extra.length > 0 ? `${message} ${extra.join(' ')}` : message;
    const record: LogRecord = { time: now(), level: effective, logger: name, message: text, object, error };
    options.sink.write(record);
    postAsEvent(options, effective, text);
  };
  return {
    log,
    debug: (message, ...details) => log('debug', message, ...details),
    info: (message, ...details) => log('info', message, ...details),
    warning: (message, ...details) => log('warning', message, ...details),
    warn: (message, ...details) => log('warning', message, ...details),
    error: (message, ...details) => log('error', message, ...details),
  };
}

function postAsEvent(options: LoggerOptions, level: LogLevel, message: string): void {
  const posting = options.posting;
  if (!posting || !options.body) return;
  const { enabled, loggers, level: threshold } = posting.settings;
  if (!enabled || !loggers || !isLevelEnabled(level, threshold)) return;
  const ref = buildObjectReference(options.body);
  posting.sink.post({ ref, type: EVENT_TYPES[level], reason: 'Logging', message });
}
