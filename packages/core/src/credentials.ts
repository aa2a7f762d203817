/**
 * What a login handler returns: how to reach and authenticate to an API server
 * (Kopf's `ConnectionInfo`). `@kopf/k8s` consumes it; several credentials may be
 * active at once, and requests use the highest `priority`.
 */

/**
 * Connection and credentials for a Kubernetes API server.
 *
 * @example
 * on.login(() => ({
 *   server: 'https://remote-kubernetes/',
 *   token: process.env.REMOTE_TOKEN,
 *   caPath: '/etc/remote/ca.crt',
 * }));
 */
export interface ConnectionInfo {
  /** The API server URL, e.g. `https://localhost:6443`. */
  readonly server: string;
  /** A CA bundle file to verify the server with. */
  readonly caPath?: string;
  /** A CA bundle as PEM text. */
  readonly caData?: string;
  /** Skip TLS verification (never in production). */
  readonly insecure?: boolean;
  /** Basic-auth user name. */
  readonly username?: string;
  /** Basic-auth password. */
  readonly password?: string;
  /** The `Authorization` scheme used with `token`; `Bearer` by default. */
  readonly scheme?: string;
  /** A bearer (or `scheme`) token. */
  readonly token?: string;
  /** A client certificate file. */
  readonly certificatePath?: string;
  /** A client certificate as PEM text. */
  readonly certificateData?: string;
  /** The client certificate's private key file. */
  readonly privateKeyPath?: string;
  /** The client certificate's private key as PEM text. */
  readonly privateKeyData?: string;
  /** The namespace for Events of cluster-scoped objects (and the `-n` default). */
  readonly defaultNamespace?: string;
  /** An HTTP(S) proxy to go through. */
  readonly proxyUrl?: string;
  /** Use `HTTPS_PROXY`/`NO_PROXY` from the environment. */
  readonly trustEnv?: boolean;
  /** Higher wins when several credentials are valid; 0 by default. */
  readonly priority?: number;
  /** When these credentials stop being valid; they are dropped then and logins re-run. */
  readonly expiration?: Date;
}
