/**
 * Matching resource selectors (as users name resources in handlers) against
 * discovered resources, with Kopf's semantics (kopf-reference 1.16): without a
 * version only preferred versions match (except for predicates); a name matches
 * the plural, singular, kind or a short name; core `v1` wins over other groups
 * when a specific name matches several; a specific name still matching several
 * groups is ambiguous and served nowhere; EVERYTHING and predicates never include
 * Events unless named explicitly.
 */
import type { Resource, ResourceSelector } from '@kopf/core';

/** The outcome of matching one selector. */
export interface ResourceSelection {
  /** The resources to serve. */
  readonly resources: Resource[];
  /** When a specific name matched several groups: all of them (and `resources` is empty). */
  readonly ambiguous: Resource[];
}

/** Whether the selector names one kind of resource (not a category, EVERYTHING or a predicate). */
export function isSpecific(selector: ResourceSelector): boolean {
  return [selector.kind, selector.plural, selector.singular, selector.shortcut, selector.name].some(
    (name) => name !== undefined,
  );
}

function isEvents(resource: Resource): boolean {
  return (
    resource.plural === 'events' &&
    ((resource.group === '' && resource.version === 'v1') || resource.group === 'events.k8s.io')
  );
}

function matchesName(name: string, resource: Resource): boolean {
  return (
    name === resource.plural ||
    name === resource.singular ||
    name.toLowerCase() === resource.kind.toLowerCase() ||
    resource.shortNames.includes(name)
  );
}

/** Whether one resource matches a selector (before the core-v1 and ambiguity rules). */
export function matchesSelector(selector: ResourceSelector, resource: Resource): boolean {
  const versionOk =
    selector.version === undefined
      ? resource.preferred || selector.predicate !== undefined
      : selector.version === resource.version;
  return (
    (selector.group === undefined || selector.group === resource.group) &&
    versionOk &&
    (selector.kind === undefined || selector.kind === resource.kind) &&
    (selector.plural === undefined || selector.plural === resource.plural) &&
    (selector.singular === undefined || selector.singular === resource.singular) &&
    (selector.shortcut === undefined || resource.shortNames.includes(selector.shortcut)) &&
    (selector.category === undefined || resource.categories.includes(selector.category)) &&
    (selector.name === undefined || matchesName(selector.name, resource)) &&
    (!selector.everything || !isEvents(resource)) &&
    (selector.predicate === undefined || (selector.predicate(resource) && !isEvents(resource)))
  );
}

/** Matches a selector and reports ambiguity (see the module comment). */
export function selectResources(
  resources: readonly Resource[],
  selector: ResourceSelector,
): ResourceSelection {
  let matched = resources.filter((resource) => matchesSelector(selector, resource));
  if (!isSpecific(selector)) return { resources: matched, ambiguous: [] };
  const core = matched.filter((resource) => resource.group === '');
  if (core.length > 0) matched = core;
  const groups = new Set(matched.map((resource) => resource.group));
  return groups.size > 1 ? { resources: [], ambiguous: matched } : { resources: matched, ambiguous: [] };
}

/**
 * The resources a selector serves: Kopf's matching, core `v1` first, and nothing
 * for an ambiguous specific name (use {@link selectResources} to tell why).
 *
 * @example
 * const [kex] = resolveResources(await discoverResources(client), { name: 'kopfexamples' });
 */
export function resolveResources(resources: readonly Resource[], selector: ResourceSelector): Resource[] {
  return selectResources(resources, selector).resources;
}
