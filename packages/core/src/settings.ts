/**
 * `OperatorSettings`: every knob of the framework, grouped as in Kopf 1.44 (camelCase
 * names, seconds for all durations), as plain data with Kopf's defaults. Startup
 * handlers may change them (`settings.posting.enabled = false`). Core only declares
 * and defaults them; the reactor and `@kopf/k8s` read them. Storages default to
 * `undefined` here: the reactor fills in Kopf's annotation storages.
 */

import type { LogLevel } from './loggers.js';
import type { DiffBaseStorage, HandlerId, ProgressStorage } from './persistence.js';

/** `settings.process`: the operator process. */
export interface ProcessSettings {
  /** Seconds after SIGTERM/SIGINT after which the process exits forcibly; `undefined` never. */
  ultimateExitingTimeout: number | undefined;
}

/** `settings.posting`: Kubernetes Events. */
export interface PostingSettings {
  /** Post Events at all (also for `event()`, `info()`, `warn()`, `exception()`). */
  enabled: boolean;
  /** Also post per-object log lines as Events (reason `Logging`); off since Kopf 1.44. */
  loggers: boolean;
  /** The lowest level posted. */
  level: LogLevel;
  reportingComponent: string;
  reportingInstance: string;
  eventNamePrefix: string;
}

/** `settings.peering`: coordination of several operator replicas. */
export interface PeeringSettings {
  /** The peering object's name. */
  name: string;
  /** Do not log keep-alives. */
  stealth: boolean;
  priority: number;
  /** Seconds an operator's peering record is valid; keep-alives come 5–10 s earlier. */
  lifetime: number;
  /** Fail (pause) when the peering object is absent. */
  mandatory: boolean;
  /** No peering at all (`--standalone`). */
  standalone: boolean;
  /** Cluster-wide peering object (`-A`) rather than a namespaced one. */
  clusterwide: boolean;
}

/** `settings.watching`: list+watch streams. */
export interface WatchingSettings {
  /** `timeoutSeconds` sent with watch requests. */
  serverTimeout: number | undefined;
  /** Seconds one watch request may live on the client's side; then it is repeated from where it stopped. Default none. */
  clientTimeout: number | undefined;
  /** Seconds to connect for a watch request; default: the connect timeout of other requests (`networking.connectTimeout`). */
  connectTimeout: number | undefined;
  /** Pause between watch re-requests. */
  reconnectBackoff: number;
  /** No event (bookmarks included) for this long → reconnect. */
  inactivityTimeout: number;
}

/** `settings.queueing`: per-object workers. */
export interface QueueingSettings {
  /** Most concurrent per-object workers per watched resource; `undefined` unlimited. */
  workerLimit: number | undefined;
  /** An idle per-object worker exits after this long. */
  idleTimeout: number;
  /** Time for workers to finish when a watcher exits. */
  exitTimeout: number;
  /** Per-object pauses after framework/API errors (the last one repeats). */
  errorDelays: readonly number[];
}

/** `settings.scanning`: runtime observation of CRDs and namespaces. */
export interface ScanningSettings {
  /**
   * Stop observing CRDs and namespaces (for an RBAC that cannot list them): the
   * resources are discovered once at start, and only namespaces named exactly are served.
   */
  disabled: boolean;
}

/** A URL or in-cluster service through which the API server reaches the webhook server. */
export interface WebhookClientConfig {
  readonly url?: string;
  readonly service?: {
    readonly namespace: string;
    readonly name: string;
    readonly path?: string;
    readonly port?: number;
  };
  /** The CA bundle (base64 of PEM) that verifies the webhook server. */
  readonly caBundle?: string;
}

/** How an admission server hands a request to the operator; answers an AdmissionReview. */
export type AdmissionRequestHandler = (
  review: unknown,
  context: { readonly webhook: HandlerId | undefined; readonly headers: Readonly<Record<string, string>> },
) => Promise<unknown>;

/**
 * A webhook server or tunnel (Kopf's `WebhookServerProtocol`): serves admission
 * requests through `handle` and yields its client config whenever it changes.
 */
export interface AdmissionServer {
  /** Serves admission requests with `handle` until the signal aborts; yields the client config (URL, CA bundle) whenever it changes. */
  serve(
    handle: AdmissionRequestHandler,
    options: { readonly signal: AbortSignal },
  ): AsyncIterable<WebhookClientConfig>;
}

/** `settings.admission`: admission webhooks. */
export interface AdmissionSettings {
  /** The webhook server; required when validating/mutating handlers exist. */
  server: AdmissionServer | undefined;
  /** Name of the Validating/MutatingWebhookConfiguration the operator manages, if any. */
  managed: string | undefined;
}

/** `settings.execution`: handler execution. */
export interface ExecutionSettings {
  /** Seconds before retrying a handler that threw an arbitrary error (per-handler `backoff` wins). */
  defaultBackoff: number;
}

/** `settings.background`: daemons and timers. */
export interface BackgroundSettings {
  /** How often to re-check a daemon that does not exit when asked. */
  cancellationPolling: number;
  /** A short wait for a daemon's instant exit, if set. */
  instantExitTimeout: number | undefined;
  /** Event-loop turns given to a daemon to exit instantly. */
  instantExitZeroTimeCycles: number | undefined;
}

/**
 * `settings.networking`: API requests. Read once, when the operator connects, which is
 * before the startup handlers run: give them in the operator's `settings` option.
 */
export interface NetworkingSettings {
  /** Timeout of non-watch requests. */
  requestTimeout: number | undefined;
  /** Seconds to establish a connection; default none. */
  connectTimeout: number | undefined;
  /** Pauses between retries of 5xx, 429 and connection errors. */
  errorBackoffs: readonly number[];
  /** Prefer the server's `Retry-After` over the own backoff. */
  enforceRetryAfter: boolean;
  /** Reach the API server through `HTTPS_PROXY`/`HTTP_PROXY` (honouring `NO_PROXY`) when the kubeconfig names no proxy. */
  trustEnv: boolean;
}

/** `settings.persistence`: what the operator keeps on objects. */
export interface PersistenceSettings {
  finalizer: string;
  /** Handler progress; `undefined` means the reactor's default (Kopf's annotations storage). */
  progressStorage: ProgressStorage | undefined;
  /** The last handled configuration; `undefined` means the reactor's default (annotations). */
  diffbaseStorage: DiffBaseStorage | undefined;
  /** Seconds to wait for an own patch to come back through the watch; 0 disables. */
  consistencyTimeout: number;
}

/**
 * All settings of an operator.
 *
 * @example
 * on.startup(({ settings }) => {
 *   settings.posting.level = 'warning';
 *   settings.persistence.finalizer = 'my-operator.example.com/finalizer';
 * });
 */
export interface OperatorSettings {
  process: ProcessSettings;
  posting: PostingSettings;
  peering: PeeringSettings;
  watching: WatchingSettings;
  queueing: QueueingSettings;
  scanning: ScanningSettings;
  admission: AdmissionSettings;
  execution: ExecutionSettings;
  background: BackgroundSettings;
  networking: NetworkingSettings;
  persistence: PersistenceSettings;
}

/**
 * Fresh settings with Kopf 1.44's defaults (a new object each call, safe to mutate).
 *
 * @example
 * const settings = defaultSettings();
 * settings.queueing.workerLimit = 20;
 */
export function defaultSettings(): OperatorSettings {
  return {
    process: { ultimateExitingTimeout: 600 },
    posting: {
      enabled: true,
      loggers: false,
      level: 'info',
      reportingComponent: 'kopf',
      reportingInstance: 'dev',
      eventNamePrefix: 'kopf-event-',
    },
    peering: {
      name: 'default',
      stealth: false,
      priority: 0,
      lifetime: 60,
      mandatory: false,
      standalone: false,
      clusterwide: false,
    },
    watching: {
      serverTimeout: undefined,
      clientTimeout: undefined,
      connectTimeout: undefined,
      reconnectBackoff: 0.1,
      inactivityTimeout: 70,
    },
    queueing: {
      workerLimit: undefined,
      idleTimeout: 5,
      exitTimeout: 2,
      errorDelays: [1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610],
    },
    scanning: { disabled: false },
    admission: { server: undefined, managed: undefined },
    execution: { defaultBackoff: 60 },
    background: { cancellationPolling: 60, instantExitTimeout: undefined, instantExitZeroTimeCycles: 10 },
    networking: {
      requestTimeout: 300,
      connectTimeout: undefined,
      errorBackoffs: [1, 1, 2, 3, 5, 8, 13, 21],
      enforceRetryAfter: false,
      trustEnv: false,
    },
    persistence: {
      finalizer: 'kopf.zalando.org/KopfFinalizerMarker',
      progressStorage: undefined,
      diffbaseStorage: undefined,
      consistencyTimeout: 5,
    },
  };
}
