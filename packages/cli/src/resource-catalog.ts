/**
 * Resolving handlers' resource selectors without a cluster, for `kopf generate`:
 * against the built-in resources and the CRD manifests given with `--crd`, with
 * kubectl's rules (a name matches the plural, singular, kind or a short name; the
 * core group wins; several other groups are ambiguous). A selector with an explicit
 * group whose name is nowhere known is taken as that group's plural, since that is
 * how `on.create('kopf.dev', 'v1', 'kopfexamples', …)` names it.
 */
import { type KubernetesObject, type ResourceSelector, selectorDescription } from '@kopf/core';
import { BUILTIN_RESOURCES, type KnownResource } from './builtin-resources.js';
import { CommandError } from './errors.js';

/** What RBAC needs to know of a served resource. */
export interface ResolvedResource {
  readonly group: string;
  /** The plural, or `*` for every resource of the group (`EVERYTHING`). */
  readonly plural: string;
  readonly namespaced: boolean;
  readonly status: boolean;
}

/** A selector that cannot be resolved offline; the message names the fix. */
export class ResourceResolutionError extends CommandError {
  override name = 'ResourceResolutionError';
}

/** The resources known without a cluster. */
export class ResourceCatalog {
  readonly resources: readonly KnownResource[];

  constructor(custom: readonly KnownResource[] = []) {
    this.resources = [...custom, ...BUILTIN_RESOURCES];
  }

  /**
   * The resource a handler's selector names.
   *
   * @param handler how to name the handler in messages, e.g. `handler 'create_fn'`
   * @throws ResourceResolutionError for predicates, categories, unknown or ambiguous names.
   */
  resolve(selector: ResourceSelector, handler: string): ResolvedResource {
    const described = selector.predicate ? 'a resource predicate' : `'${selectorDescription(selector)}'`;
    if (selector.predicate || selector.category !== undefined) {
      throw new ResourceResolutionError(
        `Resolving ${described} of ${handler} failed: it can only be resolved in a cluster; ` +
          'name the resources explicitly for kopf generate rbac.',
      );
    }
    if (selector.everything) {
      return { group: selector.group ?? '*', plural: '*', namespaced: false, status: true };
    }
    const matching = this.resources.filter((resource) => matches(selector, resource));
    const core = matching.filter((resource) => resource.group === '');
    const found = core.length > 0 ? core : matching;
    const groups = new Set(found.map((resource) => resource.group));
    if (groups.size > 1) {
      throw new ResourceResolutionError(
        `Resolving ${described} of ${handler} failed: it is ambiguous (${[...groups].join(', ')}); ` +
          'name the API group in the handler.',
      );
    }
    const [resource] = found;
    if (resource) {
      const { group, plural, namespaced } = resource;
      return { group, plural, namespaced, status: hasStatus(resource, selector.version) };
    }
    return guess(selector, described, handler);
  }
}

function matches(selector: ResourceSelector, resource: KnownResource): boolean {
  const name = selector.name;
  return (
    (selector.group === undefined || selector.group === resource.group) &&
    (selector.version === undefined || resource.versions.includes(selector.version)) &&
    (selector.plural === undefined || selector.plural === resource.plural) &&
    (selector.singular === undefined || selector.singular === resource.singular) &&
    (selector.kind === undefined || selector.kind === resource.kind) &&
    (selector.shortcut === undefined || resource.shortNames.includes(selector.shortcut)) &&
    (name === undefined ||
      name === resource.plural ||
      name === resource.singular ||
      name.toLowerCase() === resource.kind.toLowerCase() ||
      resource.shortNames.includes(name))
  );
}

/** Whether the selected version (or the preferred one) has the status subresource. */
function hasStatus(resource: KnownResource, version: string | undefined): boolean {
  return resource.statusVersions.includes(version ?? resource.versions[0] ?? '');
}

/**
 * The resources defined by CustomResourceDefinition manifests (other objects are skipped);
 * the storage version counts as the preferred one.
 */
export function knownResourcesOf(objects: readonly KubernetesObject[]): KnownResource[] {
  return objects
    .filter((object) => object.kind === 'CustomResourceDefinition')
    .map((object) => {
      const spec = (object.spec ?? {}) as CrdSpec;
      const versions = [...(spec.versions ?? [])].sort(
        (a, b) => Number(b.storage ?? false) - Number(a.storage ?? false),
      );
      const names = spec.names ?? {};
      return {
        group: spec.group ?? '',
        versions: versions.map((version) => version.name),
        plural: names.plural ?? '',
        singular: names.singular ?? names.kind?.toLowerCase() ?? '',
        kind: names.kind ?? '',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        namespaced: spec.scope !== 'Cluster',
        statusVersions: versions
          .filter((version) => version.subresources?.status)
          .map((version) => version.name),
      };
    });
}

interface CrdSpec {
  readonly group?: string;
  readonly scope?: string;
  readonly names?: {
    readonly plural?: string;
    readonly singular?: string;
    readonly kind?: string;
    readonly shortNames?: readonly string[];
    readonly categories?: readonly string[];
  };
  readonly versions?: readonly {
    readonly name: string;
    readonly storage?: boolean;
    readonly subresources?: { readonly status?: unknown };
  }[];
}

/** An explicit group with a lowercase name nowhere known: that group's plural (scope and status unknown). */
function guess(selector: ResourceSelector, described: string, handler: string): ResolvedResource {
  const plural = selector.plural ?? selector.name;
  if (selector.group !== undefined && plural !== undefined && /^[a-z0-9-]+$/.test(plural)) {
    return { group: selector.group, plural, namespaced: true, status: true };
  }
  const example = plural ? ` (${plural}.example.com)` : '';
  throw new ResourceResolutionError(
    `Resolving ${described} of ${handler} failed: it is neither a built-in resource nor in a CRD given with ` +
      `--crd; pass its CRD manifest with --crd FILE, or name its API group in the handler${example}.`,
  );
}
