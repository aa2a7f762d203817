/**
 * Resources (what kind of objects a handler serves) and resource selectors (how a
 * user names them: `'kopfexamples'`, `'kex'`, `'KopfExample'`,
 * `'kopfexamples.kopf.dev'`, `('kopf.dev', 'v1', 'kopfexamples')`, a category, or
 * everything). Selectors are resolved against the cluster's discovery by
 * `@kopf/k8s`; this module only declares them.
 */

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
