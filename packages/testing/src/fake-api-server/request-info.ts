/**
 * Splits a request into what kube-apiserver's `RequestInfoFactory` derives from it:
 * resource or non-resource, API group and version, namespace, resource, name,
 * subresource and the Kubernetes verb (`list` vs `get`, `watch`, `deletecollection`),
 * including the legacy `/watch/` path prefix.
 */
import type { Verb } from './kinds.js';

/** A request for objects: `/api/v1/...` or `/apis/G/V/...` with a resource. */
export interface ResourceRequest {
  readonly kind: 'resource';
  readonly verb: Verb;
  readonly group: string;
  readonly version: string;
  readonly namespace: string;
  readonly resource: string;
  readonly name: string;
  readonly subresource: string;
}

/** Anything else: discovery, `/version`, health, OpenAPI, unknown paths. */
export interface NonResourceRequest {
  readonly kind: 'nonresource';
  /** The lower-cased HTTP method, as the real server names non-resource verbs. */
  readonly verb: string;
  readonly path: string;
}

/** What a request asks for, as the API server's authorizer sees it: a resource request or a non-resource path. */
export type RequestInfo = ResourceRequest | NonResourceRequest;

function resourceVerb(method: string, named: boolean, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

function isWatchParam(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/** The parts after `/api/v1` or `/apis/G/V`, and the group/version. */
function splitApiPath(parts: string[]): { group: string; version: string; rest: string[] } | undefined {
  if (parts[0] === 'api' && parts.length >= 2)
    return { group: '', version: parts[1] as string, rest: parts.slice(2) };
  if (parts[0] === 'apis' && parts.length >= 3) {
    return { group: parts[1] as string, version: parts[2] as string, rest: parts.slice(3) };
  }
  return undefined;
}

function decodePart(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** Derives the request info from a method and URL. */
export function resolveRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const parts = path.split('/').filter((part) => part !== '');
  const nonResource: NonResourceRequest = { kind: 'nonresource', verb: method.toLowerCase(), path };
  const api = splitApiPath(parts);
  if (!api || api.rest.length === 0) return nonResource;
  let rest = api.rest;
  let watch = isWatchParam(url.searchParams.get('watch'));
  if (rest[0] === 'watch') {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1] as string;
    if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return nonResource;
  const decoded = rest.map(decodePart);
  if (decoded.includes(undefined)) return nonResource;
  const [resource = '', name = '', subresource = ''] = decoded as string[];
  const verb = resourceVerb(method, name !== '', watch);
  if (!verb) return nonResource;
  return {
    kind: 'resource',
    verb,
    group: api.group,
    version: api.version,
    namespace,
    resource,
    name,
    subresource,
  };
}
