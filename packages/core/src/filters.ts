/**
 * Handler filters and their matching, with Kopf's exact semantics: `labels` and
 * `annotations` (values, `PRESENT`, `ABSENT`, callbacks; an empty string counts as
 * present), `field` + `value` (for changing causes a value matches if either the old
 * or the new one matches), `old`/`new` and the "field must have changed" rule of
 * update/field handlers, and the `when` callback, evaluated last and lazily. All
 * filters AND together. Pure: the callbacks are the only code run.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Body } from './bodies.js';
import { type FieldPath, resolveField } from './diffs.js';

/** Filter marker: the label/annotation/field must exist (with any value, even empty). */
export const PRESENT: unique symbol = Symbol.for('kopf.PRESENT');

/** Filter marker: the label/annotation/field must not exist. */
export const ABSENT: unique symbol = Symbol.for('kopf.ABSENT');

/** The type of {@link PRESENT}. */
export type Present = typeof PRESENT;

/** The type of {@link ABSENT}. */
export type Absent = typeof ABSENT;

/** A label/annotation callback: gets the value (`undefined` if absent) and the cause kwargs. */
export type MetaFilterCallback<Kwargs = never> = (value: string | undefined, kwargs: Kwargs) => boolean;

/** What one label/annotation key must be: an exact value, `PRESENT`, `ABSENT` or a callback. */
export type MetaFilterValue<Kwargs = never> = string | Present | Absent | MetaFilterCallback<Kwargs>;

/**
 * A `labels` or `annotations` filter.
 *
 * @example
 * on.event('pods', { labels: { 'parent-name': PRESENT, tier: 'web' } }, fn);
 */
export type MetaFilter<Kwargs = never> = Readonly<Record<string, MetaFilterValue<Kwargs>>>;

/** A field-value callback: gets the value (`undefined` if absent) and the cause kwargs. */
export type ValueCallback<Kwargs = never> = (value: unknown, kwargs: Kwargs) => boolean;

/**
 * A `value`/`old`/`new` filter: an exact value (compared deeply; `null` is the JSON
 * null), `PRESENT`, `ABSENT` or a callback.
 */
export type ValueFilter<Kwargs = never> =
  | Present
  | Absent
  | ValueCallback<Kwargs>
  | string
  | number
  | boolean
  | null
  | readonly unknown[]
  | { readonly [key: string]: unknown };

/** A `when` callback: gets the cause kwargs; the handler runs only if it returns true. */
export type WhenFilter<Kwargs = never> = (kwargs: Kwargs) => boolean;

/** The filters as stored on a handler record (after validation). */
export interface HandlerFilters {
  readonly labels: MetaFilter<never> | undefined;
  readonly annotations: MetaFilter<never> | undefined;
  readonly when: WhenFilter<never> | undefined;
  readonly field: FieldPath | undefined;
  /** `undefined` when not set (then `field` alone means "present"). */
  readonly value: ValueFilter<never> | undefined;
  readonly old: ValueFilter<never> | undefined;
  readonly new: ValueFilter<never> | undefined;
  /** Update/field handlers: the field must differ between old and new. */
  readonly fieldNeedsChange: boolean;
}

/** What filters are matched against. */
export interface FilterTarget {
  readonly body: Body;
  /** For changing causes: the old and new essences; `field`/`value` then look at both. */
  readonly change?: { readonly old: unknown; readonly new: unknown };
}

/**
 * Whether the filters match. `kwargs` is called at most once, and only if a callback
 * needs it. `prematch` skips the change checks (`old`/`new`, "must have changed"),
 * as Kopf does when deciding whether an object needs the finalizer.
 *
 * @example
 * matchFilters(handler, { body, change: { old, new: fresh } }, () => causeKwargs(handler, cause));
 */
export function matchFilters(
  filters: HandlerFilters,
  target: FilterTarget,
  kwargs: () => object,
  options: { readonly prematch?: boolean } = {},
): boolean {
  const lazy = once(kwargs);
  const meta = target.body.metadata;
  return (
    matchMeta(filters.labels, meta?.labels ?? {}, lazy) &&
    matchMeta(filters.annotations, meta?.annotations ?? {}, lazy) &&
    matchFieldValue(filters, target, lazy) &&
    (options.prematch === true || matchFieldChange(filters, target, lazy)) &&
    (filters.when === undefined || callFilter(filters.when, lazy()))
  );
}

function once(fn: () => object): () => object {
  let value: object | undefined;
  return () => {
    value ??= fn();
    return value;
  };
}

/** Calls a user callback typed for specific kwargs with the kwargs built for its cause. */
function callFilter(fn: (...args: never[]) => boolean, ...args: unknown[]): boolean {
  return Boolean((fn as (...args: unknown[]) => unknown)(...args));
}

function matchMeta(
  pattern: MetaFilter<never> | undefined,
  content: Readonly<Record<string, string>>,
  kwargs: () => object,
): boolean {
  if (pattern === undefined) return true;
  for (const [key, expected] of Object.entries(pattern)) {
    const present = Object.hasOwn(content, key);
    if (expected === ABSENT && !present) continue;
    if (expected === PRESENT && present) continue;
    if (typeof expected === 'function') {
      if (!callFilter(expected, present ? content[key] : undefined, kwargs())) return false;
      continue;
    }
    if (!present || expected !== content[key]) return false;
  }
  return true;
}

/** The field's values to look at: new then old for changing causes, the body otherwise. */
function fieldValues(field: FieldPath, target: FilterTarget): unknown[] {
  if (target.change === undefined) return [resolveField(target.body, field)];
  return [resolveField(target.change.new, field), resolveField(target.change.old, field)];
}

function matchFieldValue(filters: HandlerFilters, target: FilterTarget, kwargs: () => object): boolean {
  if (filters.field === undefined) return true;
  const values = fieldValues(filters.field, target);
  const expected = filters.value;
  if (expected === undefined || expected === PRESENT) return values.some((v) => v !== undefined);
  if (expected === ABSENT) return values.some((v) => v === undefined);
  if (typeof expected === 'function') return values.some((v) => callFilter(expected, v, kwargs()));
  return values.some((v) => v !== undefined && isDeepStrictEqual(v, expected));
}

function matchFieldChange(filters: HandlerFilters, target: FilterTarget, kwargs: () => object): boolean {
  if (filters.field === undefined || target.change === undefined) return true;
  const old = resolveField(target.change.old, filters.field);
  const fresh = resolveField(target.change.new, filters.field);
  if (filters.fieldNeedsChange && isDeepStrictEqual(old, fresh)) return false;
  return matchOne(filters.old, old, kwargs) && matchOne(filters.new, fresh, kwargs);
}

function matchOne(expected: ValueFilter<never> | undefined, actual: unknown, kwargs: () => object): boolean {
  if (expected === undefined) return true;
  if (expected === ABSENT) return actual === undefined;
  if (expected === PRESENT) return actual !== undefined;
  if (typeof expected === 'function') return callFilter(expected, actual, kwargs());
  return actual !== undefined && isDeepStrictEqual(actual, expected);
}

/** A predicate usable as `when` or as a value/label callback. */
type Predicate<Args extends unknown[]> = (...args: Args) => boolean;

/**
 * Negates a filter callback (Kopf's `kopf.not_`).
 *
 * @example
 * on.update('kopfexamples', { when: not(({ spec }) => spec.paused === true) }, fn);
 */
export function not<Args extends unknown[]>(fn: Predicate<Args>): Predicate<Args> {
  return (...args) => !fn(...args);
}

/**
 * True when every callback is (Kopf's `kopf.all_`); true for an empty list.
 *
 * @example
 * on.create('kopfexamples', { when: allOf([isReady, isMine]) }, fn);
 */
export function allOf<Args extends unknown[]>(fns: readonly Predicate<Args>[]): Predicate<Args> {
  return (...args) => fns.every((fn) => fn(...args));
}

/**
 * True when any callback is (Kopf's `kopf.any_`); false for an empty list.
 *
 * @example
 * on.event('pods', { labels: { app: anyOf([(v) => v === 'a', (v) => v === 'b']) } }, fn);
 */
export function anyOf<Args extends unknown[]>(fns: readonly Predicate<Args>[]): Predicate<Args> {
  return (...args) => fns.some((fn) => fn(...args));
}

/**
 * True when no callback is (Kopf's `kopf.none_`); true for an empty list.
 *
 * @example
 * on.create('kopfexamples', { when: noneOf([isPaused, isForeign]) }, fn);
 */
export function noneOf<Args extends unknown[]>(fns: readonly Predicate<Args>[]): Predicate<Args> {
  return (...args) => !fns.some((fn) => fn(...args));
}
