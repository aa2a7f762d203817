/**
 * API-call accounting: a wrapper over any `ApiClient` that counts its calls by
 * Kubernetes verb and resource (`'patch kopfexamples/status'`, `'watch pods'`,
 * `'get /apis'` for non-resource paths), for benchmarks and tests. It counts calls
 * as the caller made them; retries inside the transport are not separate calls.
 */
import type { ApiClient, ApiRequest } from './client.js';
import { parseResourcePath } from './paths.js';

/** An `ApiClient` that counts the calls made through it. */
export interface CountingClient extends ApiClient {
  /** Calls so far by `'<verb> <resource>[/<subresource>]'`. */
  counts(): Record<string, number>;
  /** Forgets all counts. */
  reset(): void;
}

/**
 * The accounting key of a request: the Kubernetes verb (get, list, watch, create,
 * update, patch, delete, deletecollection) and the plural resource, with the
 * subresource after a slash; non-resource paths are keyed by method and path.
 */
export function requestKey(request: Pick<ApiRequest, 'method' | 'path' | 'query'>): string {
  const parsed = parseResourcePath(request.path);
  if (!parsed?.plural) return `${request.method.toLowerCase()} ${request.path.split('?')[0]}`;
  const resource = parsed.subresource ? `${parsed.plural}/${parsed.subresource}` : parsed.plural;
  return `${verbOf(request, parsed.name !== undefined)} ${resource}`;
}

function verbOf(request: Pick<ApiRequest, 'method' | 'query'>, named: boolean): string {
  const watch = request.query?.watch;
  switch (request.method) {
    case 'GET':
      if (watch === true || watch === 'true' || watch === '1' || watch === 1) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
  }
}

/**
 * Wraps a client to count its calls; everything else passes through.
 *
 * @example
 * const counting = countingClient(client);
 * await patchObject(counting, resource, ref, patch, { type: 'merge' });
 * counting.counts(); // { 'patch kopfexamples': 1 }
 */
export function countingClient(client: ApiClient): CountingClient {
  let counts: Record<string, number> = {};
  const count = (request: ApiRequest): void => {
    const key = requestKey(request);
    counts[key] = (counts[key] ?? 0) + 1;
  };
  return {
    get server() {
      return client.server;
    },
    get defaultNamespace() {
      return client.defaultNamespace;
    },
    request: <T = unknown>(request: ApiRequest): Promise<T> => {
      count(request);
      return client.request<T>(request);
    },
    stream: (request: ApiRequest): Promise<AsyncIterable<unknown>> => {
      count(request);
      return client.stream(request);
    },
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
  };
}
