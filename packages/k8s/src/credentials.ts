/**
 * Credentials: what a request needs to reach and authenticate to the API server
 * (server URL, TLS material, auth headers), where they come from (`CredentialSource`),
 * and Kopf's vault for credentials returned by login handlers: the highest priority
 * first, a credential rejected with 401 is dropped, and when none is left the login
 * function runs again. Secrets live only here and in request headers; nothing in
 * this module puts them into messages.
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionInfo } from '@kopf/core';
import { ApiConfigError, ApiLoginError } from './errors.js';

/** How to connect to a cluster, as a login handler returns it (declared in `@kopf/core`). */
export type { ConnectionInfo };

/** TLS material of a connection; it decides which pooled agent a request uses. */
export interface TlsMaterial {
  readonly ca?: string | Buffer | undefined;
  readonly cert?: string | Buffer | undefined;
  readonly key?: string | Buffer | undefined;
  readonly rejectUnauthorized?: boolean | undefined;
  readonly servername?: string | undefined;
}

/** Everything one request needs to reach and authenticate to the server. */
export interface Credentials {
  readonly server: string;
  readonly tls: TlsMaterial;
  /** `Authorization`, `Impersonate-User`, …: secret; never logged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly proxyUrl?: string | undefined;
  readonly defaultNamespace?: string | undefined;
}

/**
 * Where credentials come from: a kubeconfig, the in-cluster service account, or
 * login handlers. `current()` is asked before every request (it may refresh tokens);
 * `invalidate()` is called when the server answered 401 to those credentials.
 */
export interface CredentialSource {
  /** The credentials to use now (asked before every request; may refresh expiring ones). */
  current(): Promise<Credentials>;
  /** Forgets credentials the server rejected with 401, so the next `current()` obtains new ones. */
  invalidate(rejected: Credentials): Promise<void>;
}

/** A login function: Kopf's `on.login` handlers, combined. */
export type LoginFunction = () => Promise<ConnectionInfo | readonly ConnectionInfo[] | undefined>;

/** Converts a `ConnectionInfo` into request credentials (reads the files it names). */
export async function credentialsFromConnectionInfo(info: ConnectionInfo): Promise<Credentials> {
  if (!info.server) {
    throw new ApiConfigError(
      'Connecting failed: the ConnectionInfo has no server. Return one from the login handler.',
    );
  }
  const headers: Record<string, string> = {};
  if (info.token) headers.Authorization = `${info.scheme ?? 'Bearer'} ${info.token}`;
  else if (info.username !== undefined) {
    const basic = Buffer.from(`${info.username}:${info.password ?? ''}`).toString('base64');
    headers.Authorization = `Basic ${basic}`;
  }
  return {
    server: info.server.replace(/\/+$/, ''),
    tls: {
      ca: await pemFrom(info.caData, info.caPath, 'CA'),
      cert: await pemFrom(info.certificateData, info.certificatePath, 'client certificate'),
      key: await pemFrom(info.privateKeyData, info.privateKeyPath, 'private key'),
      rejectUnauthorized: info.insecure ? false : undefined,
    },
    headers,
    proxyUrl: info.proxyUrl ?? (info.trustEnv ? proxyFromEnvironment(info.server) : undefined),
    defaultNamespace: info.defaultNamespace,
  };
}

/** The proxy the environment asks for to reach `server`, honouring `NO_PROXY`. */
export function proxyFromEnvironment(
  server: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const url = new URL(server);
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((entry) => entry.trim().toLowerCase());
  const host = url.hostname.toLowerCase();
  const bypassed = noProxy.some(
    (entry) =>
      entry === '*' ||
      (entry !== '' && (host === entry.replace(/^\./, '') || host.endsWith(`.${entry.replace(/^\./, '')}`))),
  );
  if (bypassed) return undefined;
  const proxy =
    url.protocol === 'https:'
      ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy)
      : (env.HTTP_PROXY ?? env.http_proxy);
  return proxy || undefined;
}

async function pemFrom(
  data: string | undefined,
  path: string | undefined,
  what: string,
): Promise<string | undefined> {
  if (data) return data.includes('-----BEGIN') ? data : Buffer.from(data, 'base64').toString('utf8');
  if (!path) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ApiConfigError(`Reading the ${what} failed: ${path} is not readable. Fix the path.`, {
      cause: error,
    });
  }
}

/**
 * Kopf's vault over a login function. Credentials are tried by priority; one
 * rejected with 401 is dropped and never used again; when none is left, the login
 * function runs again. Concurrent requests share one login run.
 */
export class LoginVault implements CredentialSource {
  readonly #login: LoginFunction;
  readonly #now: () => number;
  #items: { info: ConnectionInfo; credentials: Credentials }[] = [];
  readonly #rejected = new Set<string>();
  readonly #issued = new WeakMap<Credentials, ConnectionInfo>();
  #loggingIn: Promise<void> | undefined;

  constructor(login: LoginFunction, now: () => number = Date.now) {
    this.#login = login;
    this.#now = now;
  }

  async current(): Promise<Credentials> {
    this.#dropExpired();
    if (this.#items.length === 0) await this.#relogin();
    const best = this.#items[0];
    if (!best) {
      throw new ApiLoginError(
        'Authenticating failed: the login handlers returned no usable credentials. ' +
          'Return a ConnectionInfo from an on.login handler (with login handlers, the kubeconfig is not read).',
      );
    }
    return best.credentials;
  }

  async invalidate(rejected: Credentials): Promise<void> {
    const info = this.#issued.get(rejected);
    if (!info) return;
    this.#rejected.add(fingerprint(info));
    this.#items = this.#items.filter((candidate) => candidate.credentials !== rejected);
  }

  #dropExpired(): void {
    const now = this.#now();
    this.#items = this.#items.filter(({ info }) => !info.expiration || info.expiration.getTime() > now);
  }

  #relogin(): Promise<void> {
    this.#loggingIn ??= this.#runLogin().finally(() => {
      this.#loggingIn = undefined;
    });
    return this.#loggingIn;
  }

  async #runLogin(): Promise<void> {
    let result: Awaited<ReturnType<LoginFunction>>;
    try {
      result = await this.#login();
    } catch (error) {
      throw new ApiLoginError(`Authenticating failed: the login handler threw: ${describe(error)}`, {
        cause: error,
      });
    }
    const infos = (Array.isArray(result) ? result : result ? [result] : []) as readonly ConnectionInfo[];
    const fresh = infos.filter((info) => !this.#rejected.has(fingerprint(info)));
    const items = await Promise.all(
      fresh.map(async (info) => ({ info, credentials: await credentialsFromConnectionInfo(info) })),
    );
    for (const item of items) this.#issued.set(item.credentials, item.info);
    this.#items = items.sort((a, b) => (b.info.priority ?? 0) - (a.info.priority ?? 0));
    this.#dropExpired();
  }
}

function fingerprint(info: ConnectionInfo): string {
  return JSON.stringify([
    info.server,
    info.token,
    info.username,
    info.password,
    info.certificateData,
    info.certificatePath,
  ]);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
