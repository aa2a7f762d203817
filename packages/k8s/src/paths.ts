/**
 * API paths: building `/apis/<group>/<version>/namespaces/<ns>/<plural>/<name>/<sub>`
 * from a resource, and reading a path back into verb-friendly parts for
 * accounting. Pure string work; no I/O.
 */
import type { Resource } from '@kopf/core';

/**
 * The least a function needs to know about a resource to address it. A full
 * `Resource` from discovery fits; so does a hand-written literal.
 */
export type ResourceRef = Pick<Resource, 'group' | 'version' | 'plural'> & {
  /** When `false`, a given namespace is ignored (cluster-scoped resource). */
  readonly namespaced?: boolean;
  /** Used to fill `kind` into list items that lack it. */
  readonly kind?: string;
  /** Served subresources, e.g. `['status']`. */
  readonly subresources?: readonly string[];
};

/** Which object (or collection) a path addresses. */
export interface PathTarget {
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly subresource?: string | undefined;
}

/**
 * The API path of a resource's collection, object or subresource. A namespace is
 * used only for namespaced resources; without one, a namespaced collection is
 * addressed cluster-wide.
 */
export function resourcePath(resource: ResourceRef, target: PathTarget = {}): string {
  const root = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const scoped =
    target.namespace && resource.namespaced !== false
      ? `${root}/namespaces/${encodeURIComponent(target.namespace)}`
      : root;
  const collection = `${scoped}/${resource.plural}`;
  if (target.name === undefined) return collection;
  const object = `${collection}/${encodeURIComponent(target.name)}`;
  return target.subresource ? `${object}/${target.subresource}` : object;
}

const NAMESPACE_SUBRESOURCES = ['status', 'finalize'];

/** A path split into the parts that name a request in counters and logs. */
export interface ParsedPath {
  readonly group: string;
  readonly version: string;
  /** `undefined` for discovery and other non-resource paths. */
  readonly plural: string | undefined;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

/**
 * Splits a resource path; `undefined` for non-resource paths (`/version`,
 * `/healthz`, …). Discovery paths (`/api/v1`, `/apis/g/v`) have no plural.
 */
export function parseResourcePath(path: string): ParsedPath | undefined {
  const parts = path.split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    rest = parts.slice(1);
  } else if (parts[0] === 'apis' && parts.length >= 2) {
    group = parts[1]!;
    rest = parts.slice(2);
  } else {
    return undefined;
  }
  const [version, ...tail] = rest;
  if (version === undefined) return undefined;
  let namespace: string | undefined;
  const namespaceSubresource = tail.length === 3 && NAMESPACE_SUBRESOURCES.includes(tail[2]!);
  if (tail[0] === 'namespaces' && tail.length >= 3 && !namespaceSubresource) {
    namespace = tail[1];
    tail.splice(0, 2);
  }
  const [plural, name, subresource] = tail;
  return { group, version, plural, namespace, name, subresource };
}
