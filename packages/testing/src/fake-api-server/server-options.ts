/**
 * The options of `FakeApiServer.start()` and of its `kubeconfig()`: where it listens,
 * who may call it (tokens, users, RBAC, an authorization hook), how watches behave,
 * where admission webhooks given as services are reached, and where it persists.
 */
import type { UserSpec } from './authentication.js';
import type { AuthorizeHook } from './authorization.js';
import type { VersionInfo } from './nonresource.js';
import type { ServiceResolver } from './webhooks.js';

/** Options of `FakeApiServer.start()`. */
export interface FakeApiServerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Port; default 0 (a free one). */
  readonly port?: number;
  /** HTTPS with a generated CA (default `true`), or plain HTTP. */
  readonly tls?: boolean;
  /** The admin bearer token; default random. */
  readonly token?: string;
  /** The advertised `/version`; default v1.33.4. */
  readonly version?: VersionInfo;
  /** Namespaces created at start besides default, kube-system, kube-public, kube-node-lease. */
  readonly namespaces?: readonly string[];
  /** How many changes the watch history keeps for resumes; older resource versions get 410. Default 10000. */
  readonly historySize?: number;
  /** Milliseconds between BOOKMARKs on watches that allow them; default 60000. */
  readonly bookmarkInterval?: number;
  /** Seconds a watch lasts without `timeoutSeconds`; default random 1800–3600 as kube-apiserver. */
  readonly watchTimeoutSeconds?: number;
  /** Authorization hook: return `true` to allow, `false` or a reason to answer 403. Default: allow all. */
  readonly authorize?: AuthorizeHook;
  /**
   * Where admission webhooks given as `clientConfig.service` are reached (there is no
   * cluster network); default `https://<name>.<namespace>.svc:<port><path>`. The
   * webhook's certificate must still be valid for `<name>.<namespace>.svc`.
   */
  readonly serviceResolver?: ServiceResolver;
  /**
   * More bearer tokens and who they are: a user name, a service account
   * (`system:serviceaccount:<namespace>:<name>`, which gets kube's service-account groups),
   * or `{ username, groups }`. Every such user is also in `system:authenticated`.
   */
  readonly users?: Readonly<Record<string, UserSpec>>;
  /**
   * Enforce RBAC (Roles, ClusterRoles and their bindings, as stored) for every user but
   * the admin (`system:masters`); default `false`: every authenticated user may do anything.
   */
  readonly rbac?: boolean;
  /**
   * Keep the store in this directory (created if needed): objects, the resourceVersion
   * counter, CRDs and the watch history survive restarts and crashes (a write-ahead log
   * fsync'd before each answer, compacted into snapshots), and so do the admin token and
   * the CA, so kubeconfigs stay valid. One server per directory at a time.
   */
  readonly persistTo?: string;
}

/** Options of `kubeconfig()`. */
export interface KubeconfigOptions {
  readonly context?: string;
  readonly namespace?: string;
  /** The bearer token to use; default the admin token. */
  readonly token?: string;
}
