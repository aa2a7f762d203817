/**
 * The options of `on.*`, as types (for editors and the compiler) and as run-time
 * checks (for JavaScript users and for values the compiler cannot see): every
 * option name per handler kind, and the validation of each value. Mistakes throw
 * `HandlerOptionsError` at registration, naming the handler, the option and the fix
 * (including a "did you mean" for typos and for Kopf's snake_case names).
 */
import type { WebhookOperation } from './causes.js';
import type { FieldSpec } from './diffs.js';
import { ErrorsMode, HandlerOptionsError } from './errors.js';
import { ABSENT, type MetaFilter, PRESENT, type ValueFilter, type WhenFilter } from './filters.js';
import type { DelayFn, HandlerKind } from './handlers.js';
import type {
  ChangingCauseKwargs,
  DefaultSpec,
  DefaultStatus,
  ResourceKwargs,
  WatchingCauseKwargs,
  WebhookCauseKwargs,
} from './kwargs.js';
import type { SelectorKeywords } from './resources.js';

/** Options that steer execution (Kopf's BEH group). */
export interface BehaviourOptions {
  /** The handler id: `status.<id>`, progress keys and logs use it. Default: the function's name. */
  readonly id?: string;
  /** Any value, passed back as the `param` kwarg (e.g. to share one function between handlers). */
  readonly param?: unknown;
  /** How arbitrary errors are treated; `ErrorsMode.TEMPORARY` etc. */
  readonly errors?: ErrorsMode;
  /** Seconds since the first attempt after which the handler fails for good. */
  readonly timeout?: number;
  /** Attempts after which the handler fails for good (1 = no retries). */
  readonly retries?: number;
  /** Seconds before retrying after an arbitrary error; default `settings.execution.defaultBackoff` (60). */
  readonly backoff?: number;
}

/** Options that select objects (Kopf's FLT group); callbacks receive `Kwargs`. */
export interface FilterOptions<Kwargs> {
  /** Labels the object must have: values, `PRESENT`, `ABSENT` or callbacks. */
  readonly labels?: MetaFilter<Kwargs>;
  /** Annotations the object must have: values, `PRESENT`, `ABSENT` or callbacks. */
  readonly annotations?: MetaFilter<Kwargs>;
  /** A last check over the cause kwargs. */
  readonly when?: WhenFilter<Kwargs>;
  /** A field to look at: `'spec.field'` or `['spec', 'field']`. Alone, it must be present. */
  readonly field?: FieldSpec;
  /** What the `field` must be (needs `field`). */
  readonly value?: ValueFilter<Kwargs>;
}

/** Filters on the old and new value of the `field` (update and field handlers; need `field`). */
export interface ChangeFilterOptions<Kwargs> {
  readonly old?: ValueFilter<Kwargs>;
  readonly new?: ValueFilter<Kwargs>;
}

/** Options of `on.create`. */
export interface CreateOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends SelectorKeywords,
    BehaviourOptions,
    FilterOptions<ChangingCauseKwargs<Spec, Status>> {}

/** Options of `on.update`. */
export interface UpdateOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends CreateOptions<Spec, Status>,
    ChangeFilterOptions<ChangingCauseKwargs<Spec, Status>> {}

/** Options of `on.delete`. */
export interface DeleteOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends CreateOptions<Spec, Status> {
  /** Do not hold the object with a finalizer for this handler (it may then be missed). */
  readonly optional?: boolean;
}

/** Options of `on.resume`. */
export interface ResumeOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends CreateOptions<Spec, Status> {
  /** Also resume objects that are already being deleted. */
  readonly deleted?: boolean;
}

/** Options of `on.field`: `field` is required. */
export interface FieldOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends UpdateOptions<Spec, Status> {
  readonly field: FieldSpec;
}

/** Options of `on.event` (never retried, so no errors/timeout/retries/backoff). */
export interface EventOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends SelectorKeywords,
    Pick<BehaviourOptions, 'id' | 'param'>,
    FilterOptions<WatchingCauseKwargs<Spec, Status>> {}

/** Options of `on.index`. */
export interface IndexOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends SelectorKeywords,
    BehaviourOptions,
    FilterOptions<ResourceKwargs<Spec, Status>> {}

/** Options common to daemons and timers. */
export interface SpawningOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends SelectorKeywords,
    BehaviourOptions,
    FilterOptions<ResourceKwargs<Spec, Status>> {
  /** Seconds before the first run, or a function of the object computing them. */
  readonly initialDelay?: number | DelayFn;
}

/** Options of `on.daemon`. */
export interface DaemonOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends SpawningOptions<Spec, Status> {
  readonly cancellationBackoff?: number;
  readonly cancellationTimeout?: number;
  readonly cancellationPolling?: number;
}

/** Options of `on.timer`. */
export interface TimerOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends SpawningOptions<Spec, Status> {
  /** Seconds between runs. Without `interval` and `idle`, the timer runs once. */
  readonly interval?: number;
  /** Run only after the object has been unchanged this many seconds. */
  readonly idle?: number;
  /** Keep the rhythm (count the interval from each start, not from each end). */
  readonly sharp?: boolean;
}

/** Options of `on.startup/cleanup/login/probe`. */
export interface ActivityOptions extends BehaviourOptions {}

/** Options of `on.validate` and `on.mutate`. */
export interface WebhookOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends SelectorKeywords,
    Pick<BehaviourOptions, 'id' | 'param'>,
    FilterOptions<WebhookCauseKwargs<Spec, Status>> {
  /** Operations to serve (`['CREATE', 'UPDATE']`); all by default. */
  readonly operations?: readonly WebhookOperation[];
  /** `'*'` for all subresources, a name such as `'status'`, or none for the main body. */
  readonly subresource?: string;
  /** Keep the webhook configured after the operator exits. */
  readonly persistent?: boolean;
  /** The handler has side effects, so dry-run requests must not reach it. */
  readonly sideEffects?: boolean;
  /** Let requests through when the operator does not answer (`failurePolicy: Ignore`). */
  readonly ignoreFailures?: boolean;
}

/** Options of sub-handlers (`register`, `subhandler`). */
export interface SubhandlerOptions<Spec = DefaultSpec, Status = DefaultStatus>
  extends BehaviourOptions,
    FilterOptions<ChangingCauseKwargs<Spec, Status>>,
    ChangeFilterOptions<ChangingCauseKwargs<Spec, Status>> {}

const SELECTOR = ['group', 'version', 'kind', 'plural', 'singular', 'shortcut', 'category'];
const BEHAVIOUR = ['id', 'param', 'errors', 'timeout', 'retries', 'backoff'];
const FILTERS = ['labels', 'annotations', 'when', 'field', 'value'];
const CHANGES = ['old', 'new'];
const CHANGING = [...SELECTOR, ...BEHAVIOUR, ...FILTERS, 'registry'];
const SPAWNING = [...SELECTOR, ...BEHAVIOUR, ...FILTERS, 'registry', 'initialDelay'];
const WEBHOOK = [...SELECTOR, 'id', 'param', ...FILTERS, 'registry'];
const WEBHOOK_EXTRA = ['operations', 'subresource', 'persistent', 'sideEffects', 'ignoreFailures'];

/** Every option name each kind accepts (`registry` is taken by `on.*` itself). */
export const KNOWN_OPTIONS: Readonly<Record<HandlerKind, readonly string[]>> = Object.freeze({
  create: CHANGING,
  update: [...CHANGING, ...CHANGES],
  delete: [...CHANGING, 'optional'],
  resume: [...CHANGING, 'deleted'],
  field: [...CHANGING, ...CHANGES],
  subhandler: [...BEHAVIOUR, ...FILTERS, ...CHANGES],
  event: [...SELECTOR, 'id', 'param', ...FILTERS, 'registry'],
  index: [...SELECTOR, ...BEHAVIOUR, ...FILTERS, 'registry'],
  daemon: [...SPAWNING, 'cancellationBackoff', 'cancellationTimeout', 'cancellationPolling'],
  timer: [...SPAWNING, 'interval', 'idle', 'sharp'],
  startup: [...BEHAVIOUR, 'registry'],
  cleanup: [...BEHAVIOUR, 'registry'],
  login: [...BEHAVIOUR, 'registry'],
  probe: [...BEHAVIOUR, 'registry'],
  validate: [...WEBHOOK, ...WEBHOOK_EXTRA],
  mutate: [...WEBHOOK, ...WEBHOOK_EXTRA],
});

/** The selector keywords among the options. */
export const SELECTOR_OPTIONS: readonly string[] = SELECTOR;

/** Raises a `HandlerOptionsError` naming the handler (`where`) and the fix. */
export function optionsError(where: string, message: string, cause?: unknown): HandlerOptionsError {
  return new HandlerOptionsError(`${where}: ${message}`, cause === undefined ? undefined : { cause });
}

/**
 * Checks option names and values for a kind; returns nothing, throws on the first
 * mistake. `where` names the handler in messages, e.g. `on.create('kopfexamples') handler 'fn'`.
 */
export function validateOptions(
  kind: HandlerKind,
  options: Readonly<Record<string, unknown>>,
  where: string,
): void {
  const known = KNOWN_OPTIONS[kind];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw optionsError(where, unknownOptionMessage(kind, key, known));
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const problem = VALIDATORS[key]?.(value);
    if (problem) throw optionsError(where, `option '${key}' ${problem}, got ${show(value)}.`);
  }
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function unknownOptionMessage(kind: HandlerKind, key: string, known: readonly string[]): string {
  const guess = ['old', 'new'].includes(key) ? undefined : suggestOption(key, known);
  const hint = guess ? ` Did you mean '${guess}'?` : '';
  const elsewhere =
    (['old', 'new'].includes(key) && ' (old/new filters are for on.update and on.field)') || '';
  return `unknown option '${key}'${elsewhere}.${hint} ${kind} handlers accept: ${known.join(', ')}.`;
}

/** A known option close to a typo: same letters ignoring case and `_`, or within 2 edits. */
function suggestOption(key: string, known: readonly string[]): string | undefined {
  const squash = (text: string): string => text.replaceAll('_', '').toLowerCase();
  const exact = known.find((candidate) => squash(candidate) === squash(key));
  if (exact) return exact;
  const scored = known.map((candidate) => [candidate, editDistance(key, candidate)] as const);
  const best = scored.sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= 2 ? best[0] : undefined;
}

/** Levenshtein distance; option and field names are short, so the quadratic table is fine. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

type Validator = (value: unknown) => string | undefined;

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const positive: Validator = (v) =>
  isNumber(v) && v > 0 ? undefined : 'must be a positive number of seconds';
const nonNegative: Validator = (v) =>
  isNumber(v) && v >= 0 ? undefined : 'must be a non-negative number of seconds';
const boolean: Validator = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const nonEmptyString: Validator = (v) =>
  typeof v === 'string' && v !== '' ? undefined : 'must be a non-empty string';
const fn: Validator = (v) => (typeof v === 'function' ? undefined : 'must be a function');
const delay: Validator = (v) =>
  typeof v === 'function'
    ? undefined
    : nonNegative(v) && 'must be a non-negative number of seconds or a function';
const ERRORS_MODES: readonly unknown[] = Object.values(ErrorsMode);
const OPERATIONS: readonly unknown[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

const VALIDATORS: Readonly<Record<string, Validator>> = {
  id: nonEmptyString,
  errors: (v) =>
    ERRORS_MODES.includes(v) ? undefined : `must be one of ${ERRORS_MODES.join(', ')} (ErrorsMode.*)`,
  timeout: positive,
  retries: (v) => (Number.isInteger(v) && (v as number) >= 1 ? undefined : 'must be a whole number ≥ 1'),
  backoff: nonNegative,
  labels: (v) => metaFilterProblem(v, 'label'),
  annotations: (v) => metaFilterProblem(v, 'annotation'),
  when: fn,
  value: valueFilterProblem,
  old: valueFilterProblem,
  new: valueFilterProblem,
  optional: boolean,
  deleted: boolean,
  interval: positive,
  idle: nonNegative,
  sharp: boolean,
  initialDelay: delay,
  cancellationBackoff: nonNegative,
  cancellationTimeout: nonNegative,
  cancellationPolling: positive,
  operations: (v) =>
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((op) => OPERATIONS.includes(op)) &&
    new Set(v).size === v.length
      ? undefined
      : `must be a non-empty list of distinct operations among ${OPERATIONS.join(', ')}`,
  subresource: nonEmptyString,
  persistent: boolean,
  sideEffects: boolean,
  ignoreFailures: boolean,
};

function metaFilterProblem(value: unknown, what: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `must be an object of ${what} names to values, PRESENT, ABSENT or callbacks`;
  }
  for (const [key, expected] of Object.entries(value)) {
    if (expected === null || expected === undefined) {
      return `has ${expected} for '${key}', which is not supported; use PRESENT or ABSENT`;
    }
    const fine = typeof expected === 'string' || typeof expected === 'function';
    if (!fine && expected !== PRESENT && expected !== ABSENT) {
      return `has an unsupported value for '${key}'; use a string, PRESENT, ABSENT or a callback`;
    }
  }
  return undefined;
}

function valueFilterProblem(value: unknown): string | undefined {
  if (typeof value === 'symbol' && value !== PRESENT && value !== ABSENT) {
    return 'must be a value, PRESENT, ABSENT or a callback (not another symbol)';
  }
  return typeof value === 'bigint' ? 'must be a JSON value, PRESENT, ABSENT or a callback' : undefined;
}
