/**
 * The one seam between kopf-ts and a Kubernetes API server: `ApiClient`, a request
 * and a stream method. Everything else in this package is a plain function over an
 * `ApiClient`, so a user or a test may swap the transport (or wrap it to count
 * calls) and keep all of it. `createApiClient()` builds the HTTP one from a
 * kubeconfig, the in-cluster service account, or login handlers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient, ApiRequest } from '@kopf/core';
import type { ConnectionInfo, CredentialSource, Credentials, LoginFunction } from './credentials.js';
import { credentialsFromConnectionInfo, LoginVault, proxyFromEnvironment } from './credentials.js';
import { ApiConfigError } from './errors.js';
import { HttpApiClient } from './http-client.js';
import type { InClusterOptions } from './in-cluster.js';
import { InClusterSource, isInCluster } from './in-cluster.js';
import { KubeConfigSource } from './kubeconfig.js';

// The seam's types live in @kopf/core, so that handlers' kwargs can carry the operator's client.
export type { ApiClient, ApiRequest };

/** What the `onRequest` observer sees after each HTTP attempt (never headers or bodies). */
export interface RequestInfo {
  readonly method: string;
  readonly path: string;
  /** 1 for the first attempt of a request, 2 for its first retry, … */
  readonly attempt: number;
  /** The HTTP status; absent when the connection failed. */
  readonly status?: number;
  /** The error message, when the attempt failed. */
  readonly error?: string;
  /** Seconds until the next attempt, when one follows; absent when giving up or done. */
  readonly retryIn?: number;
  /** Seconds the attempt took (until the headers, for streams). */
  readonly duration: number;
}

/**
 * How to connect. Without any source: `$KUBECONFIG`, `~/.kube/config`, then the
 * in-cluster service account. All durations are in seconds.
 */
export interface ClientOptions {
  /** A kubeconfig file path or a parsed kubeconfig object. */
  readonly kubeconfig?: string | object;
  /** A kubeconfig context other than the current one. */
  readonly context?: string;
  /** Use the pod's service account (optionally with other paths or host). */
  readonly inCluster?: boolean | InClusterOptions;
  /** Fixed credentials, or a login function (Kopf's `on.login` handlers) run again on 401. */
  readonly connection?: ConnectionInfo | LoginFunction;
  /** Per attempt of a non-watch request; default 300 s (Kopf's `networking.request_timeout`). */
  readonly requestTimeout?: number;
  /** For establishing a connection; default none. */
  readonly connectTimeout?: number;
  /** Delays between retries of 5xx, 429 and connection errors; default 1, 1, 2, 3, 5, 8, 13, 21 s. */
  readonly errorBackoffs?: readonly number[];
  /** Use the server's `Retry-After` as is, even when it is shorter than our backoff. */
  readonly enforceRetryAfter?: boolean;
  /**
   * Reach the API server through `HTTPS_PROXY`/`HTTP_PROXY` (honouring `NO_PROXY`)
   * when the credentials name no proxy of their own (Kopf's `networking.trust_env`).
   */
  readonly trustEnv?: boolean;
  /** The User-Agent header (kube-apiserver derives default field managers from it); default `kopf-ts`. */
  readonly userAgent?: string;
  /** Called after every HTTP attempt, e.g. for debug logs; must not throw. */
  readonly onRequest?: (info: RequestInfo) => void;
}

/** The HTTP `ApiClient`, with `close()` to drop its pooled connections. */
export interface HttpClient extends ApiClient {
  /** Closes pooled connections and open streams. */
  close(): void;
}

/**
 * Builds the HTTP `ApiClient`: loads the configuration now (so a broken kubeconfig
 * or login fails at start-up, with an `ApiConfigError` or `ApiLoginError` naming
 * the fix), but does not contact the server yet.
 */
export async function createApiClient(options: ClientOptions = {}): Promise<HttpClient> {
  const found = await sourceFor(options);
  const source = options.trustEnv ? withEnvironmentProxy(found) : found;
  const initial = await source.current();
  return new HttpApiClient(source, initial, options);
}

/** The source's credentials, with the environment's proxy where they name none. */
function withEnvironmentProxy(source: CredentialSource): CredentialSource {
  // Sources tell their own credentials apart by identity: keep one proxied copy per original.
  const proxied = new WeakMap<Credentials, Credentials>();
  const originals = new WeakMap<Credentials, Credentials>();
  return {
    current: async () => {
      const credentials = await source.current();
      if (credentials.proxyUrl) return credentials;
      let copy = proxied.get(credentials);
      if (copy === undefined) {
        const proxyUrl = proxyFromEnvironment(credentials.server);
        copy = proxyUrl ? { ...credentials, proxyUrl } : credentials;
        proxied.set(credentials, copy);
        originals.set(copy, credentials);
      }
      return copy;
    },
    invalidate: (rejected) => source.invalidate(originals.get(rejected) ?? rejected),
  };
}

async function sourceFor(options: ClientOptions): Promise<CredentialSource> {
  const { connection, kubeconfig, context, inCluster } = options;
  if (typeof connection === 'function') return new LoginVault(connection);
  if (connection) return fixedSource(connection);
  if (kubeconfig !== undefined || context !== undefined)
    return KubeConfigSource.create({ kubeconfig, context });
  if (inCluster) return InClusterSource.create(inCluster === true ? {} : inCluster);
  if (inCluster === undefined && !hasDefaultKubeConfig() && isInCluster()) return InClusterSource.create();
  if (!hasDefaultKubeConfig()) {
    throw new ApiConfigError(
      'Loading the Kubernetes configuration failed: no KUBECONFIG, no ~/.kube/config, and not in a pod. ' +
        'Point KUBECONFIG to a kubeconfig, or pass `kubeconfig`, `inCluster` or `connection`.',
    );
  }
  return KubeConfigSource.create({});
}

function hasDefaultKubeConfig(): boolean {
  if (process.env.KUBECONFIG) return true;
  const home = process.env.HOME ?? process.env.USERPROFILE;
  return home !== undefined && existsSync(join(home, '.kube', 'config'));
}

/** Fixed credentials; a 401 re-reads the files they name (certificates may have rotated). */
async function fixedSource(info: ConnectionInfo): Promise<CredentialSource> {
  let credentials = await credentialsFromConnectionInfo(info);
  return {
    current: async () => credentials,
    invalidate: async () => {
      credentials = await credentialsFromConnectionInfo(info);
    },
  };
}
