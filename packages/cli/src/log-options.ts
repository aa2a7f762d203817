/**
 * The logging options every operator-running command shares, as Kopf's CLI has them:
 * `-v/--verbose` (debug lines), `-d/--debug` (also every HTTP request), `-q/--quiet`
 * (warnings and errors only), `--log-format plain|full|json`, `--log-refkey` (the
 * JSON key of the object reference) and `--log-prefix/--no-log-prefix`. They become
 * a reactor `LogSink` writing to stderr.
 */
import type { LogLevel } from '@kopf/core';
import { type LogFormat, type LogRecord, type LogSink, streamSink } from '@kopf/reactor';
import { choiceValue, flagValue, type OptionSpecs, type OptionValues, stringValue } from './arguments.js';

/** The shared logging options. */
export const LOG_OPTIONS: OptionSpecs = {
  verbose: { type: 'boolean', short: 'v', description: 'Show debug lines of the framework too.' },
  debug: { type: 'boolean', short: 'd', description: 'Like --verbose, plus a line per HTTP request.' },
  quiet: { type: 'boolean', short: 'q', description: 'Show warnings and errors only.' },
  'log-format': {
    type: 'string',
    valueName: 'plain|full|json',
    description: 'Log line format (default: full, with time, logger and level).',
  },
  'log-refkey': {
    type: 'string',
    valueName: 'KEY',
    description: 'JSON format: the key of the object reference (default: object).',
  },
  'log-prefix': {
    type: 'boolean',
    negatable: true,
    description: 'Prefix object lines with [namespace/name] (default: on, off for json).',
  },
};

/** How the operator's logs are written. */
export interface LogOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly refKey: string | undefined;
  readonly prefix: boolean | undefined;
  /** Log every HTTP request of the operator's client (`--debug`). */
  readonly requests: boolean;
}

/** Reads the shared logging options (see {@link LOG_OPTIONS}). */
export function logOptionsFrom(values: OptionValues): LogOptions {
  const debug = flagValue(values, 'debug');
  const verbose = flagValue(values, 'verbose');
  const level: LogLevel = debug || verbose ? 'debug' : flagValue(values, 'quiet') ? 'warning' : 'info';
  const prefix = values['log-prefix'];
  return {
    level,
    format: choiceValue<LogFormat>(values, 'log-format', ['plain', 'full', 'json'], 'full'),
    refKey: stringValue(values, 'log-refkey'),
    prefix: typeof prefix === 'boolean' ? prefix : undefined,
    requests: debug,
  };
}

/** The logging options back as command-line flags (for `kopf dev` to pass to its operator). */
export function logOptionsToArgs(values: OptionValues): string[] {
  const args: string[] = [];
  for (const flag of ['verbose', 'debug', 'quiet'] as const)
    if (flagValue(values, flag)) args.push(`--${flag}`);
  for (const option of ['log-format', 'log-refkey'] as const) {
    const value = stringValue(values, option);
    if (value !== undefined) args.push(`--${option}`, value);
  }
  const prefix = values['log-prefix'];
  if (typeof prefix === 'boolean') args.push(prefix ? '--log-prefix' : '--no-log-prefix');
  return args;
}

/** A sink writing formatted lines at or above the level to `stream` (stderr by default). */
export function createLogSink(options: LogOptions, stream?: { write(text: string): unknown }): LogSink {
  return streamSink({
    level: options.level,
    format: options.format,
    ...(options.refKey !== undefined ? { refKey: options.refKey } : {}),
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    ...(stream ? { stream } : {}),
  });
}

/** A record of the CLI itself (logger `kopf.cli`), for lines that belong in the operator's log stream. */
export function cliRecord(level: LogLevel, message: string): LogRecord {
  return { time: new Date(), level, logger: 'kopf.cli', message };
}
