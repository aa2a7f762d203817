/**
 * Credentials of the pod's service account: the server from
 * `KUBERNETES_SERVICE_HOST`/`_PORT`, the CA, token and namespace files. The token
 * is projected and rotated by the kubelet, so it is re-read whenever the file
 * changes (checked before requests, at most once a second) and always after a 401.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { CredentialSource, Credentials } from './credentials.js';
import { ApiConfigError } from './errors.js';

/** Where the service account's files are mounted in a pod. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Overrides for running "in-cluster" elsewhere (tests, sidecars). */
export interface InClusterOptions {
  /** Default: `$KUBERNETES_SERVICE_HOST`. */
  readonly host?: string;
  /** Default: `$KUBERNETES_SERVICE_PORT`. */
  readonly port?: string | number;
  /** The folder with `token`, `ca.crt` and `namespace`; default {@link SERVICE_ACCOUNT_DIR}. */
  readonly directory?: string;
}

/** Whether a service-account token is mounted where pods have it. */
export function isInCluster(directory: string = SERVICE_ACCOUNT_DIR): boolean {
  return existsSync(join(directory, 'token'));
}

/** The service account's credentials, with the token re-read as it rotates. */
export class InClusterSource implements CredentialSource {
  readonly #server: string;
  readonly #directory: string;
  readonly #defaultNamespace: string | undefined;
  #ca: string | undefined;
  #credentials: Credentials | undefined;
  #tokenStamp = '';
  #checkedAt = 0;

  private constructor(
    server: string,
    directory: string,
    ca: string | undefined,
    namespace: string | undefined,
  ) {
    this.#server = server;
    this.#directory = directory;
    this.#ca = ca;
    this.#defaultNamespace = namespace;
  }

  /** Reads the environment and the mounted files; fails with the fix if they are missing. */
  static async create(options: InClusterOptions = {}): Promise<InClusterSource> {
    const host = options.host ?? process.env.KUBERNETES_SERVICE_HOST;
    const port = options.port ?? process.env.KUBERNETES_SERVICE_PORT;
    if (!host || !port) {
      throw new ApiConfigError(
        'Loading the in-cluster configuration failed: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT ' +
          'are not set. Run inside a pod, or use a kubeconfig.',
      );
    }
    const directory = options.directory ?? SERVICE_ACCOUNT_DIR;
    const scheme = ['80', '8080', '8001'].includes(String(port)) ? 'http' : 'https';
    const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
    const ca = await readOptional(join(directory, 'ca.crt'));
    const namespace = (await readOptional(join(directory, 'namespace')))?.trim();
    const source = new InClusterSource(server, directory, ca, namespace || undefined);
    await source.current(); // fail now if the token is missing
    return source;
  }

  async current(): Promise<Credentials> {
    const now = Date.now();
    if (this.#credentials && now - this.#checkedAt < 1000) return this.#credentials;
    this.#checkedAt = now;
    const stamp = await this.#stamp();
    if (this.#credentials && stamp === this.#tokenStamp) return this.#credentials;
    return this.#reload(stamp);
  }

  async invalidate(rejected: Credentials): Promise<void> {
    if (rejected !== this.#credentials) return;
    this.#ca = (await readOptional(join(this.#directory, 'ca.crt'))) ?? this.#ca;
    await this.#reload(await this.#stamp());
  }

  async #stamp(): Promise<string> {
    try {
      const info = await stat(join(this.#directory, 'token'));
      return `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch {
      return '';
    }
  }

  async #reload(stamp: string): Promise<Credentials> {
    const path = join(this.#directory, 'token');
    const token = (await readOptional(path))?.trim();
    if (!token) {
      throw new ApiConfigError(
        `Loading the in-cluster configuration failed: the service-account token ${path} is missing or empty. ` +
          'Mount the service account token (automountServiceAccountToken), or use a kubeconfig.',
      );
    }
    this.#tokenStamp = stamp;
    this.#credentials = {
      server: this.#server,
      tls: { ca: this.#ca },
      headers: { Authorization: `Bearer ${token}` },
      defaultNamespace: this.#defaultNamespace,
    };
    return this.#credentials;
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
