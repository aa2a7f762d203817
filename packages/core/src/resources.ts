/**
 * Resources (what kind of objects a handler serves) and resource selectors (how a
 * user names them: `'kopfexamples'`, `'kex'`, `'KopfExample'`,
 * `'kopfexamples.kopf.dev'`, `('kopf.dev', 'v1', 'kopfexamples')`, a category, or
 * everything). Selectors are resolved against the cluster's discovery by
 * `@kopf/k8s`; this module declares and parses them, and describes them for messages.
 */
import { KopfError } from './errors.js';

/** A served API resource, as discovery describes it. */
export interface Resource {
  /** The API group; `''` for the core group (`v1`). */
  readonly group: string;
  readonly version: string;
  /** The plural name used in URLs, e.g. `kopfexamples`. */
  readonly plural: string;
  readonly kind: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  /** Subresources served, e.g. `['status']`. */
  readonly subresources: readonly string[];
  readonly verbs: readonly string[];
  /** Whether `version` is the group's preferred version. */
  readonly preferred: boolean;
}

/**
 * Which resources a handler serves. Every given field must match; `name` is matched
 * against the plural, singular, kind and short names (case-insensitively for the
 * kind), as kubectl does.
 */
export interface ResourceSelector {
  readonly group?: string;
  readonly version?: string;
  readonly name?: string;
  readonly plural?: string;
  readonly kind?: string;
  readonly singular?: string;
  readonly shortcut?: string;
  readonly category?: string;
  /** Serve every resource (core `events` excluded unless named explicitly). */
  readonly everything?: boolean;
  /** A custom predicate over discovered resources (sees non-preferred versions too). */
  readonly predicate?: (resource: Resource) => boolean;
}

/** `group/version`, or just `version` for the core group: the object's `apiVersion`. */
export function apiVersionOf(resource: Pick<Resource, 'group' | 'version'>): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** `kopfexamples.v1.kopf.dev`, as Kopf names a resource in its logs. */
export function resourceName(resource: Pick<Resource, 'group' | 'version' | 'plural'>): string {
  return resource.group
    ? `${resource.plural}.${resource.version}.${resource.group}`
    : `${resource.plural}.${resource.version}`;
}

/** A custom resource filter: `on.event((resource) => resource.group === 'kopf.dev', fn)`. */
export type ResourcePredicate = (resource: Resource) => boolean;

/**
 * The catch-all marker: `on.event(EVERYTHING, fn)` serves every watchable resource
 * (core `v1/events` and `events.k8s.io` excluded), optionally narrowed by a group or
 * version: `on.event('kopf.dev', EVERYTHING, fn)`.
 */
export const EVERYTHING: unique symbol = Symbol.for('kopf.EVERYTHING');

/** The type of {@link EVERYTHING}. */
export type Everything = typeof EVERYTHING;

/** The selector fields that may be given as keywords (`{ group, plural }`), as in Kopf. */
export interface SelectorKeywords {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly plural?: string;
  readonly singular?: string;
  readonly shortcut?: string;
  readonly category?: string;
}

/**
 * The positional forms of a resource selector (Kopf 1.16):
 * `['kopfexamples']`, `['kex']`, `['KopfExample']`, `['kopfexamples.kopf.dev']`,
 * `['kopfexamples.v1.kopf.dev']`, `['kopf.dev', 'kopfexamples']`, `['kopf.dev/v1', 'kopfexamples']`,
 * `['kopf.dev', 'v1', 'kopfexamples']`, `['v1', 'pods']`, `[EVERYTHING]`, `['kopf.dev', EVERYTHING]`,
 * `[predicate]`, or one object of {@link SelectorKeywords}.
 */
export type SelectorArgs =
  | readonly [string | Everything]
  | readonly [string, string | Everything]
  | readonly [string, string, string | Everything]
  | readonly [ResourcePredicate]
  | readonly [SelectorKeywords];

/** A selector that cannot be understood: too many parts, ambiguous or missing names. */
export class ResourceSelectorError extends KopfError {
  override name = 'ResourceSelectorError';
}

/** `kopfexamples.v1.kopf.dev`, `pods.v1beta1.metrics.k8s.io`: a name with a conventional version. */
const GROUP_VERSION_PATTERN = /^[^.]*\.v\d+(?:(?:alpha|beta)\d+)?(?:\..*)?$/;

const KEYWORDS: readonly (keyof SelectorKeywords)[] = [
  'group',
  'version',
  'kind',
  'plural',
  'singular',
  'shortcut',
  'category',
];

type Mutable = { -readonly [K in keyof ResourceSelector]: ResourceSelector[K] };

/**
 * Parses the positional and keyword forms of a resource selector (see
 * {@link SelectorArgs}), as Kopf does, into a frozen {@link ResourceSelector}.
 *
 * @throws ResourceSelectorError for impossible forms: more than 3 parts, a predicate or
 * object mixed with other parts, no name at all, several names (`'pods'` and
 * `kind: 'Pod'`), empty names, or a group/version given twice.
 * @example
 * parseSelector(['kopf.dev', 'v1', 'kopfexamples']);
 * // → { group: 'kopf.dev', version: 'v1', name: 'kopfexamples' }
 * parseSelector(['kopfexamples.kopf.dev']); // → { group: 'kopf.dev', name: 'kopfexamples' }
 * parseSelector(['v1', 'pods']);            // → { group: '', version: 'v1', name: 'pods' }
 */
export function parseSelector(args: readonly unknown[], keywords: SelectorKeywords = {}): ResourceSelector {
  const [first] = args;
  const positional: Mutable =
    args.length === 1 && isPlainObject(first) ? keywordsOnly(first) : parsePositional(args);
  const selector: Mutable = { ...positional };
  for (const key of KEYWORDS) {
    const value = (keywords as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new ResourceSelectorError(`Resource selector: '${key}' must be a string, got ${typeof value}.`);
    }
    if (selector[key] !== undefined && selector[key] !== value) {
      throw new ResourceSelectorError(
        `Resource selector: '${key}' is given twice ('${selector[key]}' and '${value}'); keep one.`,
      );
    }
    selector[key] = value;
  }
  verifyNames(selector);
  return Object.freeze(selector);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keywordsOnly(object: Record<string, unknown>): Mutable {
  const unknown = Object.keys(object).filter((key) => !(KEYWORDS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new ResourceSelectorError(
      `Resource selector: unknown field(s) ${unknown.map((k) => `'${k}'`).join(', ')}; ` +
        `a selector object accepts only ${KEYWORDS.join(', ')}.`,
    );
  }
  return { ...object } as Mutable;
}

function parsePositional(args: readonly unknown[]): Mutable {
  if (args.length === 0) {
    throw new ResourceSelectorError(
      "Resource selector: no resource given; name one, e.g. 'kopfexamples' or ('kopf.dev', 'v1', 'kopfexamples').",
    );
  }
  if (args.length > 3) {
    throw new ResourceSelectorError(
      `Resource selector: at most 3 positional parts (group, version, name) are accepted, got ${args.length}.`,
    );
  }
  const [first, second] = args;
  if (typeof first === 'function') {
    if (args.length > 1) {
      throw new ResourceSelectorError('Resource selector: a predicate cannot be combined with other parts.');
    }
    return { predicate: first as ResourcePredicate };
  }
  if (args.some(isPlainObject)) {
    throw new ResourceSelectorError(
      'Resource selector: a selector object ({ group, version, plural, … }) must be the only selector part.',
    );
  }
  for (const [index, part] of args.entries()) {
    const isLast = index === args.length - 1;
    if (part === EVERYTHING && !isLast) {
      throw new ResourceSelectorError('Resource selector: EVERYTHING can only be the last part.');
    }
    if (part !== EVERYTHING && typeof part !== 'string') {
      throw new ResourceSelectorError(
        `Resource selector: part ${index + 1} must be a string or EVERYTHING, got ${typeof part}.`,
      );
    }
  }
  const last = args[args.length - 1] as string | Everything;
  const name: Mutable = last === EVERYTHING ? { everything: true } : { name: last };
  if (args.length === 1) return last === EVERYTHING ? name : parseDottedName(last as string);
  if (args.length === 3) return { group: first as string, version: second as string, ...name };
  return { ...parseGroupVersion(first as string), ...name };
}

function parseDottedName(text: string): Mutable {
  if (GROUP_VERSION_PATTERN.test(text)) {
    const [name = '', version = '', ...group] = text.split('.');
    return group.length > 0 ? { name, version, group: group.join('.') } : { name, version };
  }
  const dot = text.indexOf('.');
  return dot < 0 ? { name: text } : { name: text.slice(0, dot), group: text.slice(dot + 1) };
}

function parseGroupVersion(text: string): Mutable {
  const slash = text.lastIndexOf('/');
  if (slash >= 0) return { group: text.slice(0, slash), version: text.slice(slash + 1) };
  if (text === 'v1') return { group: '', version: 'v1' };
  return { group: text };
}

function verifyNames(selector: Mutable): void {
  const names = (['kind', 'plural', 'singular', 'shortcut', 'category', 'name'] as const).filter(
    (key) => selector[key] !== undefined,
  );
  const total = names.length + (selector.everything ? 1 : 0) + (selector.predicate ? 1 : 0);
  if (total === 0) {
    throw new ResourceSelectorError(
      'Resource selector: no resource name; add one of kind, plural, singular, shortcut, category, ' +
        'a positional name, EVERYTHING or a predicate.',
    );
  }
  if (total > 1) {
    const given = [...names.map((key) => `${key}='${selector[key]}'`)];
    if (selector.everything) given.push('EVERYTHING');
    if (selector.predicate) given.push('a predicate');
    throw new ResourceSelectorError(
      `Resource selector: ambiguous, it names the resource more than once (${given.join(', ')}); keep one.`,
    );
  }
  for (const key of [...names, 'version'] as const) {
    if (selector[key] === '') {
      throw new ResourceSelectorError(`Resource selector: '${key}' must not be an empty string.`);
    }
  }
  if (selector.group?.includes('/') || selector.version?.includes('/')) {
    throw new ResourceSelectorError(
      `Resource selector: a group or version cannot contain '/' (group '${selector.group}', ` +
        `version '${selector.version}'); write ('kopf.dev/v1', 'kopfexamples') or ('kopf.dev', 'v1', 'kopfexamples').`,
    );
  }
}

/**
 * A short human description of a selector for messages and logs, kubectl-style:
 * `kopfexamples.v1.kopf.dev`, `pods.v1`, `kind=KopfExample.kopf.dev`, `EVERYTHING`,
 * `predicate isMine`.
 *
 * @example
 * selectorDescription(parseSelector(['kopf.dev', 'v1', 'kopfexamples'])); // 'kopfexamples.v1.kopf.dev'
 */
export function selectorDescription(selector: ResourceSelector): string {
  const main = selectorMainName(selector);
  const group = selector.group === '' ? '' : selector.group;
  const suffix = [selector.version, group].filter((part) => part !== undefined && part !== '').join('.');
  const core = selector.group === '' && selector.version === undefined ? ' (core group)' : '';
  return (suffix ? `${main}.${suffix}` : main) + core;
}

function selectorMainName(selector: ResourceSelector): string {
  if (selector.predicate) return `predicate ${selector.predicate.name || '(anonymous)'}`;
  if (selector.everything) return 'EVERYTHING';
  if (selector.name !== undefined) return selector.name;
  if (selector.plural !== undefined) return selector.plural;
  for (const key of ['kind', 'singular', 'shortcut', 'category'] as const) {
    if (selector[key] !== undefined) return `${key}=${selector[key]}`;
  }
  return '(no name)';
}

const SELECTOR_FIELDS: readonly (keyof ResourceSelector)[] = [
  'group',
  'version',
  'name',
  'plural',
  'kind',
  'singular',
  'shortcut',
  'category',
  'everything',
  'predicate',
];

/**
 * Whether two selectors select the same way (predicates compared by identity). The
 * registry uses it to keep one selector object per distinct selector, so the reactor
 * can resolve each distinct selector once.
 */
export function sameSelector(a: ResourceSelector, b: ResourceSelector): boolean {
  return SELECTOR_FIELDS.every((key) => a[key] === b[key]);
}
