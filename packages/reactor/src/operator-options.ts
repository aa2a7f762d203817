/**
 * How to build an operator (`OperatorOptions`), and the error of a refused start.
 * The CLI maps its flags onto these options: `--liveness`, `--metrics`,
 * `--peering`, `--priority`, `--standalone`.
 */
import type { Lifecycle, Memo, OperatorSettings, Registry } from '@kopf/core';
import type { ApiClient, ClientOptions, NamespacePattern } from '@kopf/k8s';
import { ActivityError } from './activities.js';
import type { Clock } from './clock.js';
import type { LeaseSettings } from './leasing.js';
import type { LogSink } from './logging.js';
import type { SettingsOverrides } from './settings.js';

/** How to build an operator. Everything is optional. */
export interface OperatorOptions {
  /** The handlers; default: the registry `on.*` used (`getDefaultRegistry()`). */
  readonly registry?: Registry;
  /** Settings or overrides of Kopf's defaults, group by group. */
  readonly settings?: SettingsOverrides | OperatorSettings;
  /** A ready API client (a swapped transport, a test's counting client). */
  readonly client?: ApiClient;
  /**
   * How to connect when no client is given (`on.login` handlers take precedence over its
   * credentials); its timeouts and backoffs win over `settings.networking`.
   */
  readonly connection?: ClientOptions;
  /** Namespace patterns (`'team-*'`, `'!team-x'`); omitted: the whole cluster. */
  readonly namespaces?: readonly NamespacePattern[];
  readonly clock?: Clock;
  /** Where log lines go; default: stderr in Kopf's full format, info and above. */
  readonly logs?: LogSink;
  /** The operator-wide memo (each object gets a shallow copy). */
  readonly memo?: Memo;
  /** How due handlers are picked per cycle; default: `getDefaultLifecycle()` (asap). */
  readonly lifecycle?: Lifecycle;
  /** Serve liveness (and `/readyz`) at this URL, e.g. `http://0.0.0.0:8080/healthz` (`--liveness`). */
  readonly liveness?: string;
  /** Serve Prometheus metrics at this URL, e.g. `http://0.0.0.0:9090/metrics` (`--metrics`). */
  readonly metrics?: string;
  /** The peering object's name; peering becomes mandatory (`--peering`). */
  readonly peering?: string;
  /** This operator's peering priority (`--priority`); default 0. */
  readonly priority?: number;
  /** No peering at all (`--standalone`). */
  readonly standalone?: boolean;
  /**
   * Act only while holding this coordination.k8s.io Lease (leader election); the
   * other replicas naming it stay paused until it is released or expires.
   */
  readonly lease?: LeaseSettings;
  /** This operator's identity among its peers; default `$POD_ID` or `user@host/time/random`. */
  readonly identity?: string;
  /** Report an object as stuck (`objectStuck`) when a handler has failed this many times in a row; default 3. */
  readonly stuckAfter?: number;
}

/** The operator refused to start: a startup handler failed for good. */
export class StartupError extends ActivityError {
  override name = 'StartupError';
}
