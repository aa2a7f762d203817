import { describe, expect, it } from 'vitest';
import {
  choiceValue,
  describeOptions,
  envName,
  integerValue,
  listValue,
  type OptionSpecs,
  parseArguments,
} from './arguments.js';
import { UsageError } from './errors.js';

const SPECS: OptionSpecs = {
  namespace: { type: 'string', short: 'n', multiple: true, valueName: 'NS', description: 'Namespaces.' },
  'all-namespaces': { type: 'boolean', short: 'A', description: 'Everything.' },
  verbose: { type: 'boolean', short: 'v', description: 'More.' },
  port: { type: 'string', valueName: 'N', description: 'A port.' },
  'log-prefix': { type: 'boolean', negatable: true, description: 'Prefix.' },
};

describe('parseArguments', () => {
  it('reads short and long options, repeated options and positionals', () => {
    const { values, positionals } = parseArguments(
      'run',
      ['a.ts', '-n', 'x', '--namespace=y', '-Av', 'b.ts'],
      SPECS,
      {},
    );
    expect(positionals).toEqual(['a.ts', 'b.ts']);
    expect(values).toMatchObject({ namespace: ['x', 'y'], 'all-namespaces': true, verbose: true });
  });

  it('fills missing options from KOPF_<COMMAND>_<OPTION>, splitting lists on whitespace', () => {
    const env = { KOPF_RUN_NAMESPACE: 'a b', KOPF_RUN_ALL_NAMESPACES: 'yes', KOPF_RUN_PORT: '8080' };
    const { values } = parseArguments('run', [], SPECS, env);
    expect(values).toMatchObject({ namespace: ['a', 'b'], 'all-namespaces': true, port: '8080' });
  });

  it('lets the command line win over the environment', () => {
    const { values } = parseArguments('run', ['-n', 'cli', '--no-verbose'], SPECS, {
      KOPF_RUN_NAMESPACE: 'env',
      KOPF_RUN_VERBOSE: '1',
    });
    expect(values.namespace).toEqual(['cli']);
    expect(values.verbose).toBe(false);
  });

  it('reads false words from the environment and refuses others', () => {
    expect(parseArguments('run', [], SPECS, { KOPF_RUN_VERBOSE: 'off' }).values.verbose).toBe(false);
    expect(() => parseArguments('run', [], SPECS, { KOPF_RUN_VERBOSE: 'maybe' })).toThrow(
      /KOPF_RUN_VERBOSE="maybe" is not a boolean/,
    );
  });

  it('names an unknown option and the help command in a UsageError', () => {
    const error = (() => {
      try {
        parseArguments('generate rbac', ['--bogus'], SPECS, {});
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      "unknown option '--bogus'. Run 'kopf help generate rbac' for the options.",
    );
  });

  it('names an option given without its value', () => {
    expect(() => parseArguments('run', ['--port'], SPECS, {})).toThrow(/option '--port' needs a value/);
  });
});

describe('envName', () => {
  it('upper-cases the command path and the option, dashes and spaces as underscores', () => {
    expect(envName('generate rbac', 'operator-namespace')).toBe('KOPF_GENERATE_RBAC_OPERATOR_NAMESPACE');
  });
});

describe('option readers', () => {
  it('reads integers within bounds and refuses others', () => {
    expect(integerValue({ port: '6443' }, 'port', { min: 0, max: 65535 })).toBe(6443);
    expect(integerValue({}, 'port')).toBeUndefined();
    expect(() => integerValue({ port: '65536' }, 'port', { min: 0, max: 65535 })).toThrow(UsageError);
    expect(() => integerValue({ port: '1.5' }, 'port')).toThrow(/is not an integer/);
  });

  it('reads choices with a fallback and names the allowed values', () => {
    expect(choiceValue({}, 'log-format', ['plain', 'full'], 'full')).toBe('full');
    expect(() => choiceValue({ 'log-format': 'xml' }, 'log-format', ['plain', 'full'], 'full')).toThrow(
      '--log-format "xml" is not one of: plain, full.',
    );
  });

  it('reads a list from a single string too', () => {
    expect(listValue({ namespace: 'one' }, 'namespace')).toEqual(['one']);
    expect(listValue({}, 'namespace')).toEqual([]);
  });
});

describe('describeOptions', () => {
  it('lists every option with its short flag, value name and negation', () => {
    const text = describeOptions(SPECS);
    expect(text).toContain('-n, --namespace NS');
    expect(text).toContain('Namespaces. Repeatable.');
    expect(text).toContain('--log-prefix/--no-log-prefix');
    expect(text.split('\n')).toHaveLength(Object.keys(SPECS).length);
  });
});
