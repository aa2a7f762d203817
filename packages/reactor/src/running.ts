/**
 * The operator: everything wired together and embeddable in any Node service.
 * `start()` connects (through `on.login` handlers or the kubeconfig), runs the
 * startup handlers, opens the liveness and metrics endpoints, and starts watching
 * (with peering beside, unless standalone); `ready` resolves once every watched
 * resource has been listed; `stop()` stops gracefully within
 * `process.ultimateExitingTimeout`: watchers first and queued work let finish,
 * daemons and timers stopped, cleanup handlers run, Events flushed, endpoints and
 * connections closed. Lifecycle events let a host service follow along.
 */
import {
  type ConnectionInfo,
  type EventSink,
  getDefaultLifecycle,
  getDefaultRegistry,
  type Indexes,
  type Memo,
  type Registry,
  runInHandlerContext,
} from '@kopf/core';
import { type ApiClient, createApiClient, EventPoster, type RequestInfo } from '@kopf/k8s';
import { EventEmitter } from 'eventemitter3';
import { ActivityError, runActivity } from './activities.js';
import { runAdmission } from './admission/running.js';
import { type Clock, systemClock } from './clock.js';
import { openEndpoints } from './endpoints.js';
import { Health } from './health.js';
import { OperatorIndexes } from './indexes.js';
import { createLogger } from './loggers.js';
import { type LogSink, streamSink } from './logging.js';
import { ObjectMemories } from './memories.js';
import { Metrics } from './metrics.js';
import { type OperatorEvents, operatorTelemetry } from './operator-events.js';
import { type OperatorOptions, StartupError } from './operator-options.js';
import { applyPeeringOptions, detectIdentity } from './peering.js';
import { Probes } from './probing.js';
import type { Endpoint } from './serving.js';
import { fillStorages, type ResolvedSettings, resolveSettings } from './settings.js';
import { DaemonRegistry } from './spawning.js';
import type { Telemetry } from './telemetry.js';
import { ToggleSet } from './toggles.js';
import { type Watching, watch } from './watchers.js';

export type { OperatorEvents } from './operator-events.js';
export type { OperatorOptions } from './operator-options.js';
export { StartupError } from './operator-options.js';

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * An operator, embeddable in any Node service.
 *
 * @example
 * const operator = new Operator({ namespaces: ['default'], liveness: 'http://0.0.0.0:8080/healthz' });
 * operator.on('handlerFailed', (report) => console.warn(report.message));
 * await operator.start();
 * await operator.ready;
 * // … later, e.g. on SIGTERM:
 * await operator.stop();
 */
export class Operator extends EventEmitter<OperatorEvents> {
  readonly registry: Registry;
  readonly settings: ResolvedSettings;
  readonly memo: Memo;
  readonly clock: Clock;
  readonly logs: LogSink;
  /** This operator's identity among its peers. */
  readonly identity: string;
  /** Resolves once every watched resource has been listed (and handled) at least once. */
  readonly ready: Promise<void>;
  readonly #options: OperatorOptions;
  readonly #controller = new AbortController();
  readonly #admissionController = new AbortController();
  #admission: Promise<void> | undefined;
  readonly #memories = new ObjectMemories();
  readonly #paused = new ToggleSet();
  readonly #indexing = new ToggleSet();
  readonly #daemons = new DaemonRegistry();
  readonly #health: Health;
  readonly #telemetry: Telemetry;
  readonly #endpoints: Endpoint[] = [];
  #indexes = new OperatorIndexes();
  #metrics: Metrics | undefined;
  #state: State = 'new';
  #isReady = false;
  #client: ApiClient | undefined;
  #closeClient: (() => void) | undefined;
  #poster: EventPoster | undefined;
  #watching: Watching | undefined;
  #stopping: Promise<void> | undefined;
  #livenessUrl: string | undefined;
  #metricsUrl: string | undefined;
  #markReady: () => void = () => {};
  #markNeverReady: () => void = () => {};
  #starting: Promise<void> | undefined;

  constructor(options: OperatorOptions = {}) {
    super();
    this.#options = options;
    this.registry = options.registry ?? getDefaultRegistry();
    this.settings = resolveSettings(options.settings);
    this.memo = options.memo ?? {};
    this.clock = options.clock ?? systemClock;
    this.logs = options.logs ?? streamSink();
    this.identity = options.identity ?? detectIdentity();
    this.#health = new Health(() => this.clock.now());
    this.ready = new Promise((resolve, reject) => {
      this.#markReady = resolve;
      this.#markNeverReady = () => reject(new Error('The operator has stopped before it was ready.'));
    });
    this.ready.catch(() => {}); // not awaiting `ready` is fine: no unhandled rejection
    this.#telemetry = operatorTelemetry(this, () => this.#metrics, this.#logger('kopf.reactor'));
    this.#paused.onChange((on) => this.#onPause(on));
  }

  /** The API client in use (after `start()`). */
  get client(): ApiClient | undefined {
    return this.#client;
  }

  /** The indexes of `on.index` handlers (the `indexes` kwarg). */
  get indexes(): Indexes {
    return this.#indexes.view;
  }

  /** Whether peering pauses the operator now. */
  get paused(): boolean {
    return this.#paused.isOn;
  }

  /** The liveness endpoint's base URL with the real port (after `start()`), e.g. `http://127.0.0.1:8080`. */
  get livenessUrl(): string | undefined {
    return this.#livenessUrl;
  }

  /** The metrics endpoint's base URL with the real port (after `start()`). */
  get metricsUrl(): string | undefined {
    return this.#metricsUrl;
  }

  /** The operator's Prometheus metrics, when `metrics` is set. */
  get metrics(): Metrics | undefined {
    return this.#metrics;
  }

  /**
   * Connects, runs the startup handlers, opens the endpoints, and starts watching.
   * Resolves once watching has begun (see `ready` for the first full listing).
   *
   * @throws StartupError when a startup handler fails for good; ApiError/ApiConnectionError when the
   * cluster cannot be reached; EndpointError when an endpoint cannot be served.
   */
  start(): Promise<void> {
    if (this.#state !== 'new') {
      return Promise.reject(new Error(`The operator cannot start: it is ${this.#state}.`));
    }
    this.#state = 'starting';
    this.#starting = this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const options = this.#options;
    applyPeeringOptions(this.settings, { ...options, clusterwide: options.namespaces === undefined });
    this.#indexes = new OperatorIndexes(this.registry.ofKind('index').map((handler) => handler.id));
    if (options.metrics) this.#metrics = new Metrics({ daemons: this.#daemons, paused: () => this.paused });
    try {
      this.#client = options.client ? this.#meter(options.client) : await this.#connect();
      await this.#startup();
      fillStorages(this.settings);
      this.#poster = new EventPoster(this.#client, {
        ...this.settings.posting,
        logger: this.#logger('kopf.posting'),
      });
      await this.#serve();
      await this.#admit();
    } catch (error) {
      this.#state = 'stopped';
      this.#markNeverReady();
      await this.#close();
      throw error;
    }
    const events = this.#eventSink(this.#poster);
    const ambient = { eventSink: events, settings: this.settings, client: this.#client };
    this.#watching = runInHandlerContext(ambient, () =>
      watch({
        operator: this,
        client: this.#client as ApiClient,
        options,
        signal: this.#controller.signal,
        events,
        memories: this.#memories,
        indexes: this.#indexes,
        paused: this.#paused,
        indexing: this.#indexing,
        daemons: this.#daemons,
        health: this.#health,
        metrics: this.#metrics,
        telemetry: this.#telemetry,
        onReady: () => this.#onReady(),
      }),
    );
    this.#watching.done.catch((error: unknown) => {
      this.#logger('kopf.reactor').error('The operator has failed.', error);
      this.emit('error', error);
    });
    this.#state = 'running';
    this.emit('started');
  }

  /**
   * Stops gracefully: stops watching and lets queued work finish (`queueing.exitTimeout`),
   * stops the daemons and timers, runs the cleanup handlers, flushes Events and closes
   * the endpoints and connections. Whatever is still busy after
   * `process.ultimateExitingTimeout` seconds is abandoned.
   */
  stop(): Promise<void> {
    if (this.#state === 'new' || this.#state === 'stopped') {
      this.#state = 'stopped';
      this.#markNeverReady();
      return Promise.resolve();
    }
    if (this.#state === 'starting') {
      // Retrying startup handlers give up at once; a failed start needs no stopping.
      this.#controller.abort();
      const started = this.#starting ?? Promise.resolve();
      this.#stopping ??= started.then(
        () => this.#stop(),
        () => undefined,
      );
    }
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopping';
    this.emit('stopping');
    const logger = this.#logger('kopf.reactor');
    this.#daemons.mode = 'exiting';
    this.#controller.abort();
    const graceful = (async () => {
      const grace = this.settings.queueing.exitTimeout;
      await Promise.all([
        this.#watching?.done.catch(() => {}),
        this.#daemons.stopAll('operator-exiting', this, grace),
      ]);
      // Before the connections close: the managed webhook configurations are cleaned up.
      this.#admissionController.abort();
      await this.#admission?.catch(() => {});
      try {
        if (this.#client) await runActivity('cleanup', this.#activityContext());
      } catch (error) {
        this.emit('error', error);
      }
    })();
    const limit = this.settings.process.ultimateExitingTimeout;
    const abandoned = limit === undefined ? false : !(await raceTimeout(graceful, limit * 1000));
    if (limit !== undefined && abandoned) {
      logger.warning(`The operator did not stop gracefully within ${limit} seconds; the rest is abandoned.`);
    } else await graceful;
    await this.#close();
    this.#state = 'stopped';
    this.#markNeverReady();
    this.emit('stopped');
  }

  async #close(): Promise<void> {
    await Promise.all(this.#endpoints.splice(0).map((endpoint) => endpoint.close()));
    this.#health.stop();
    await this.#poster?.close();
    this.#closeClient?.();
  }

  async #connect(): Promise<ApiClient> {
    const hasLogin = this.registry.activityHandlers('authentication').length > 0;
    const login = async (): Promise<ConnectionInfo[]> => {
      const outcomes = await runActivity('authentication', this.#activityContext());
      return [...outcomes.values()].map((outcome) => outcome.result).filter(isConnectionInfo);
    };
    const networking = this.settings.networking;
    const given = this.#options.connection ?? {};
    const onRequest = bothObservers(given.onRequest, this.#metrics);
    // The settings are the defaults; what the embedder gave in `connection` wins.
    const client = await createApiClient({
      requestTimeout: networking.requestTimeout,
      errorBackoffs: networking.errorBackoffs,
      enforceRetryAfter: networking.enforceRetryAfter,
      trustEnv: networking.trustEnv,
      connectTimeout: networking.connectTimeout,
      ...given,
      ...(hasLogin ? { connection: login } : {}),
      ...(onRequest ? { onRequest } : {}),
    });
    this.#closeClient = () => client.close();
    return this.#meter(client);
  }

  #meter(client: ApiClient): ApiClient {
    return this.#metrics ? this.#metrics.meter(client) : client;
  }

  /** The startup handlers; a failure stops the start with the handlers' errors in the message. */
  async #startup(): Promise<void> {
    try {
      await runActivity('startup', { ...this.#activityContext(), signal: this.#controller.signal });
    } catch (error) {
      if (!(error instanceof ActivityError)) throw error;
      const reasons = [...error.outcomes].map(([id, outcome]) => `'${id}': ${describe(outcome.error)}`);
      const failed = new StartupError(
        `The operator did not start: startup handler ${reasons.join('; ')}. ` +
          'Fix the handler, or raise TemporaryError in it to retry instead of failing.',
        error.outcomes,
      );
      Object.defineProperty(failed, 'cause', { value: error, enumerable: false });
      throw failed;
    }
  }

  /**
   * Serves the admission handlers, if any (or if a webhook server is configured);
   * resolves once the webhooks are served and configured, so that `ready` implies it.
   */
  async #admit(): Promise<void> {
    if (this.registry.ofCategory('webhook').length === 0 && !this.settings.admission.server) return;
    const events = this.#eventSink(this.#poster as EventPoster);
    const ambient = { eventSink: events, settings: this.settings, client: this.#client };
    let serving: () => void = () => {};
    const served = new Promise<void>((resolve) => {
      serving = resolve;
    });
    this.#admission = runInHandlerContext(ambient, () =>
      runAdmission({
        client: this.#client as ApiClient,
        registry: this.registry,
        settings: this.settings,
        clock: this.clock,
        logs: this.logs,
        memo: this.memo,
        indexes: this.#indexes.view,
        eventSink: events,
        signal: this.#admissionController.signal,
        onServing: () => serving(),
      }),
    );
    await Promise.race([served, this.#admission]);
    this.#admission.catch((error: unknown) => {
      this.#logger('kopf.admission').error('Admission has failed.', error);
      this.emit('error', error);
    });
  }

  /** Opens the liveness and metrics endpoints, if asked for. */
  async #serve(): Promise<void> {
    const opened = await openEndpoints(this.#options, {
      health: this.#health,
      probes: new Probes(this.#activityContext()),
      metrics: this.#metrics,
      notReady: () => this.#notReady(),
      logger: this.#logger('kopf.reactor'),
    });
    this.#endpoints.push(...opened.endpoints);
    this.#livenessUrl = opened.livenessUrl;
    this.#metricsUrl = opened.metricsUrl;
  }

  #notReady(): string[] {
    if (this.#state !== 'running') return [`The operator is ${this.#state}.`];
    if (this.paused) return this.#paused.reasons.map((reason) => `Paused: ${reason}.`);
    return this.#isReady ? [] : ['Not every watched resource has been listed yet.'];
  }

  #onReady(): void {
    if (this.#isReady || this.#state === 'stopped') return;
    this.#isReady = true;
    this.#markReady();
    this.emit('ready');
  }

  #onPause(on: boolean): void {
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    this.#daemons.mode = on ? 'paused' : 'running';
    if (on) {
      void this.#daemons.stopAll('operator-pausing', this, this.settings.queueing.exitTimeout);
      this.emit('paused', this.#paused.reasons);
    } else {
      this.emit('resumed');
    }
  }

  #activityContext() {
    return {
      client: this.#client,
      registry: this.registry,
      settings: this.settings,
      clock: this.clock,
      lifecycle: this.#options.lifecycle ?? getDefaultLifecycle(),
      memo: this.memo,
      indexes: this.#indexes.view,
      logs: this.logs,
    };
  }

  #logger(name: string) {
    return createLogger({ sink: this.logs, name });
  }

  /** Events from handlers and the framework, posted by the batching poster. */
  #eventSink(poster: EventPoster): EventSink {
    return {
      post: ({ ref, type, reason, message }) => {
        const { apiVersion, kind, name, namespace, uid } = ref;
        poster.post({
          involved: { apiVersion, kind, metadata: { name, namespace, uid } },
          type,
          reason,
          message,
        });
      },
    };
  }
}

/** The embedder's request observer (e.g. `kopf run --debug`'s log lines) and the metrics', both. */
function bothObservers(
  given: ((info: RequestInfo) => void) | undefined,
  metrics: Metrics | undefined,
): ((info: RequestInfo) => void) | undefined {
  if (!metrics) return given;
  return (info) => {
    metrics.attempted(info);
    given?.(info);
  };
}

function isConnectionInfo(value: unknown): value is ConnectionInfo {
  return typeof value === 'object' && value !== null && typeof (value as ConnectionInfo).server === 'string';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Resolves true if `promise` settles within `ms`, false otherwise (without keeping the process alive). */
async function raceTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
