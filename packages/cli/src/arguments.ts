/**
 * Command-line options of the `kopf` commands: declared once per command (name,
 * short flag, type, help text), parsed with `node:util`'s `parseArgs` (strict: an
 * unknown option is a usage error), then completed from environment variables the
 * way click's `auto_envvar_prefix` does for Kopf: `KOPF_RUN_NAMESPACE`,
 * `KOPF_RUN_VERBOSE=1`, `KOPF_GENERATE_RBAC_CRD`. The command line wins over the
 * environment. The same declarations render the help text.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** One option of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** May be given several times (and as a whitespace-separated list in the environment). */
  readonly multiple?: boolean;
  /** The placeholder in the help text, e.g. `NAME`. */
  readonly valueName?: string;
  /** One line for the help text. */
  readonly description: string;
  /** Booleans only: also show `--no-<name>` in the help (every boolean accepts it). */
  readonly negatable?: boolean;
}

/** The options of one command, by long name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What was given: strings, string lists (multiple options) and booleans, by long name. */
export type OptionValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** Parsed options and positional arguments. */
export interface ParsedArguments {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'y', 't']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'n', 'f', '']);

/**
 * Parses a command's arguments, then fills what is missing from `KOPF_<COMMAND>_<OPTION>`.
 *
 * @param command the command path, e.g. `run` or `generate rbac` (for messages and env names)
 * @throws UsageError for unknown options, missing values, and unreadable environment values.
 */
export function parseArguments(
  command: string,
  argv: readonly string[],
  specs: OptionSpecs,
  env: NodeJS.ProcessEnv = process.env,
): ParsedArguments {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: toParseArgsOptions(specs),
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${describeParseError(error)}. Run 'kopf help ${command}' for the options.`, {
      cause: error,
    });
  }
  const values = { ...parsed.values } as Record<string, string | boolean | readonly string[] | undefined>;
  for (const [name, spec] of Object.entries(specs)) {
    if (values[name] !== undefined) continue;
    const variable = envName(command, name);
    const raw = env[variable];
    if (raw !== undefined) values[name] = fromEnvironment(variable, raw, spec);
  }
  return { values, positionals: parsed.positionals };
}

/** `KOPF_RUN_ALL_NAMESPACES` for `run` / `all-namespaces`. */
export function envName(command: string, option: string): string {
  return `KOPF_${command}_${option}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function toParseArgsOptions(specs: OptionSpecs): NonNullable<Parameters<typeof parseArgs>[0]>['options'] {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  return options;
}

function fromEnvironment(variable: string, raw: string, spec: OptionSpec): string | boolean | string[] {
  if (spec.type === 'boolean') {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    throw new UsageError(
      `${variable}=${JSON.stringify(raw)} is not a boolean; use 1/0, true/false, yes/no or on/off.`,
    );
  }
  return spec.multiple ? raw.split(/\s+/).filter(Boolean) : raw;
}

/** parseArgs' messages are long and mention internals; keep their first sentence. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option '${unknown[1]}'`;
  const missing = /Option '(?:-\w, )?(--?[\w-]+)[^']*' argument missing/.exec(message);
  if (missing) return `option '${missing[1]}' needs a value`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument '${positional[1]}'`;
  return (message.split(/\.\s/)[0] ?? message).replace(/\.$/, '');
}

/** The help lines of a command's options, aligned: `  -n, --namespace NAME   Serve …`. */
export function describeOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = spec.type === 'boolean' && spec.negatable ? `--${name}/--no-${name}` : `--${name}`;
    const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
    const short = spec.short ? `-${spec.short}, ` : '    ';
    return [`  ${short}${flag}${value}`, spec.description + (spec.multiple ? ' Repeatable.' : '')] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => left.padEnd(width) + right).join('\n');
}

/** A string option's value, or `undefined` (for options that are not `multiple`). */
export function stringValue(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A multiple option's values (empty when not given). */
export function listValue(values: OptionValues, name: string): readonly string[] {
  const value = values[name];
  if (Array.isArray(value)) return value as readonly string[];
  return typeof value === 'string' ? [value] : [];
}

/** A boolean option's value (`false` when not given). */
export function flagValue(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/**
 * An integer option's value, or `undefined`.
 *
 * @throws UsageError when it is not an integer within the bounds.
 */
export function integerValue(
  values: OptionValues,
  name: string,
  bounds: { readonly min?: number; readonly max?: number } = {},
): number | undefined {
  const raw = stringValue(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(`--${name} ${JSON.stringify(raw)} is not an integer from ${min} to ${max}.`);
  }
  return value;
}

/**
 * A choice option's value (or the default).
 *
 * @throws UsageError naming the allowed values.
 */
export function choiceValue<T extends string>(
  values: OptionValues,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = stringValue(values, name);
  if (raw === undefined) return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`--${name} ${JSON.stringify(raw)} is not one of: ${choices.join(', ')}.`);
}
