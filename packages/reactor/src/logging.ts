/**
 * Log records and where they go. Every log line of the operator is a record with
 * a level, a logger name and, for per-object lines, a reference to the object;
 * sinks turn records into text: Kopf's `plain` and `full` formats (with the
 * `[namespace/name]` prefix) or JSON lines with the reference under a key. Object
 * loggers may also mirror their lines as Kubernetes Events.
 */
import { isLevelEnabled, type LogLevel, type ObjectReference } from '@kopf/core';

/** One log line, before formatting. */
export interface LogRecord {
  readonly time: Date;
  readonly level: LogLevel;
  /** `kopf.objects` for per-object lines, `kopf.activities`, `kopf.reactor`, … */
  readonly logger: string;
  readonly message: string;
  readonly object?: ObjectReference;
  /** An error to print after the message (its stack for unexpected errors). */
  readonly error?: unknown;
}

/** Where log records go. */
export interface LogSink {
  /** Takes one log record (sinks must not throw). */
  write(record: LogRecord): void;
}

/** `plain`: the message only; `full`: time, logger and level too (Kopf's default); `json`: one object per line. */
export type LogFormat = 'plain' | 'full' | 'json';

/** How {@link formatRecord} renders a record. */
export interface FormatOptions {
  readonly format?: LogFormat;
  /** Prefix per-object messages with `[namespace/name]`; default on except for JSON. */
  readonly prefix?: boolean;
  /** The JSON key of the object reference; default `object`. */
  readonly refKey?: string;
}

/** Renders a record as one line (or a few, when an error stack follows). */
export function formatRecord(record: LogRecord, options: FormatOptions = {}): string {
  const format = options.format ?? 'full';
  const prefix = options.prefix ?? format !== 'json';
  const message =
    prefix && record.object ? `${objectPrefix(record.object)} ${record.message}` : record.message;
  if (format === 'json') return formatJson(record, message, options.refKey ?? 'object');
  const head =
    format === 'plain'
      ? message
      : `[${timestamp(record.time)}] ${record.logger.padEnd(20).slice(0, 20)} [${record.level.toUpperCase().padEnd(8)}] ${message}`;
  const detail = errorDetail(record.error);
  return detail ? `${head}\n${detail}` : head;
}

/** `[namespace/name]`, or `[name]` for cluster-scoped objects. */
export function objectPrefix(object: ObjectReference): string {
  return object.namespace ? `[${object.namespace}/${object.name ?? ''}]` : `[${object.name ?? ''}]`;
}

function timestamp(time: Date): string {
  // Kopf (Python logging) prints `2026-01-01 10:12:53,123`.
  return time.toISOString().replace('T', ' ').replace('.', ',').slice(0, 23);
}

const JSON_SEVERITY: Record<LogLevel, string> = {
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
};

function formatJson(record: LogRecord, message: string, refKey: string): string {
  const line: Record<string, unknown> = {
    message,
    timestamp: record.time.toISOString(),
    severity: JSON_SEVERITY[record.level],
    logger: record.logger,
  };
  if (record.object) line[refKey] = record.object;
  const detail = errorDetail(record.error);
  if (detail) line.exc_info = detail;
  return JSON.stringify(line);
}

/** Stacks are printed for unexpected errors only; Kopf's own control-flow errors speak for themselves. */
function errorDetail(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  return error.stack;
}

/** Options of {@link streamSink}: the format, the lowest level, and the stream. */
export interface StreamSinkOptions extends FormatOptions {
  /** The lowest level written; default `info`. */
  readonly level?: LogLevel;
  /** Where the formatted lines go; default `process.stderr`. */
  readonly stream?: {
    /** Writes one formatted line (with its newline). */
    write(text: string): unknown;
  };
}

/** A sink that writes formatted lines to a stream (stderr by default). */
export function streamSink(options: StreamSinkOptions = {}): LogSink {
  const threshold = options.level ?? 'info';
  const stream = options.stream ?? process.stderr;
  return {
    write(record) {
      if (isLevelEnabled(record.level, threshold)) stream.write(`${formatRecord(record, options)}\n`);
    },
  };
}

/** A sink that keeps records in memory: for tests and the testing runner. */
export class MemorySink implements LogSink {
  readonly records: LogRecord[] = [];

  /** Keeps the record in {@link MemorySink.records}. */
  write(record: LogRecord): void {
    this.records.push(record);
  }

  /** The messages, `[namespace/name]`-prefixed as in the plain format. */
  lines(level: LogLevel = 'debug'): string[] {
    return this.records
      .filter((record) => isLevelEnabled(record.level, level))
      .map((record) => formatRecord({ ...record, error: undefined }, { format: 'plain' }));
  }
}

/** Sends every record to several sinks. */
export function teeSink(...sinks: readonly LogSink[]): LogSink {
  return {
    write(record) {
      for (const sink of sinks) sink.write(record);
    },
  };
}
