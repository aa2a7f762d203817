/**
 * The shape of a client of the Kubernetes API, as handlers receive it (`client`
 * kwarg): the operator's own connection, so that handlers reach the same cluster
 * with the same credentials (login handlers, a fake server in tests). Only the type
 * lives here; `@kopf/k8s` implements it and offers the functions over it
 * (`getObject`, `createObject`, `patchObject`, …).
 */

/** One request to the API server. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The API path, e.g. `/apis/kopf.dev/v1/namespaces/default/kopfexamples/x`. */
  readonly path: string;
  /** Query parameters; `undefined` values are left out. */
  readonly query?: Record<string, string | number | boolean | undefined>;
  /** Serialised as JSON (a string is sent as is). */
  readonly body?: unknown;
  /** Default `application/json`. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** MILLISECONDS for this one attempt; default: the client's `requestTimeout`. */
  readonly timeout?: number;
  /** MILLISECONDS to establish the connection of this request; default: the client's `connectTimeout`. */
  readonly connectTimeout?: number;
}

/**
 * Talks to one API server. Errors are `ApiError` subclasses of `@kopf/k8s` (the
 * server answered) or `ApiConnectionError` (it did not); an aborted `signal`
 * rejects with its reason.
 *
 * @example
 * import { createObject } from '@kopf/k8s';
 * on.create('kopfexamples', async ({ client, name }) => {
 *   const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true };
 *   await createObject(client, pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-pod` } });
 * });
 */
export interface ApiClient {
  /** Sends a request and resolves with the parsed JSON body (`undefined` if empty). */
  request<T = unknown>(request: ApiRequest): Promise<T>;
  /**
   * Sends a streaming GET (a watch) and resolves once the server has answered,
   * with the parsed NDJSON values. Iterate it to the end or abort `signal`.
   */
  stream(request: ApiRequest): Promise<AsyncIterable<unknown>>;
  /** The server URL, for messages; never contains secrets. */
  readonly server: string;
  /** The namespace of the kubeconfig context or service account, if any. */
  readonly defaultNamespace: string | undefined;
}
