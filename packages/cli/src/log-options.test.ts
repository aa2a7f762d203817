import { describe, expect, it } from 'vitest';
import { cliRecord, createLogSink, logOptionsFrom, logOptionsToArgs } from './log-options.js';

describe('logOptionsFrom', () => {
  it('defaults to info in the full format', () => {
    expect(logOptionsFrom({})).toEqual({
      level: 'info',
      format: 'full',
      refKey: undefined,
      prefix: undefined,
      requests: false,
    });
  });

  it('maps --verbose to debug, --debug to debug with requests, --quiet to warnings', () => {
    expect(logOptionsFrom({ verbose: true }).level).toBe('debug');
    expect(logOptionsFrom({ debug: true })).toMatchObject({ level: 'debug', requests: true });
    expect(logOptionsFrom({ quiet: true }).level).toBe('warning');
    expect(logOptionsFrom({ quiet: true, verbose: true }).level).toBe('debug');
  });
});

describe('logOptionsToArgs', () => {
  it('gives back the flags that were set, so kopf dev can pass them on', () => {
    const values = { verbose: true, 'log-format': 'json', 'log-refkey': 'k8s', 'log-prefix': false };
    expect(logOptionsToArgs(values)).toEqual([
      '--verbose',
      '--log-format',
      'json',
      '--log-refkey',
      'k8s',
      '--no-log-prefix',
    ]);
    expect(
      logOptionsFrom({ verbose: true, 'log-format': 'json', 'log-refkey': 'k8s', 'log-prefix': false }),
    ).toEqual({ level: 'debug', format: 'json', refKey: 'k8s', prefix: false, requests: false });
  });
});

describe('createLogSink', () => {
  it('writes records at or above the level in the chosen format', () => {
    const lines: string[] = [];
    const sink = createLogSink(logOptionsFrom({ quiet: true, 'log-format': 'json' }), {
      write: (t: string) => lines.push(t),
    });
    sink.write(cliRecord('info', 'hidden'));
    sink.write(cliRecord('warning', 'shown'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      message: 'shown',
      severity: 'warn',
      logger: 'kopf.cli',
    });
  });
});
