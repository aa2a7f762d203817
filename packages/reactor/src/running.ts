/**
 * The operator: everything wired together and embeddable in any Node service.
 * `start()` connects (through `on.login` handlers or the kubeconfig), runs the
 * startup handlers, and starts watching; `ready` resolves once every watched
 * resource has been listed; `stop()` stops gracefully: watchers first, then the
 * queued work is let finish, cleanup handlers run, Events are flushed, and the
 * connections are closed. Lifecycle events let a host service follow along.
 */
import {
  type ConnectionInfo,
  type EventSink,
  getDefaultLifecycle,
  getDefaultRegistry,
  type Indexes,
  type Lifecycle,
  type Memo,
  type OperatorSettings,
  type Registry,
  runInHandlerContext,
} from '@kopf/core';
import {
  type ApiClient,
  type ClientOptions,
  createApiClient,
  EventPoster,
  type HttpClient,
  type NamespacePattern,
} from '@kopf/k8s';
import { EventEmitter } from 'eventemitter3';
import { runActivity } from './activities.js';
import { type Clock, systemClock } from './clock.js';
import { createLogger } from './loggers.js';
import { type LogSink, streamSink } from './logging.js';
import { ObjectMemories } from './memories.js';
import { orchestrate, targetKey, type WatchTarget } from './orchestration.js';
import { processResourceEvent, type ResourceContext } from './processing.js';
import { fillStorages, type ResolvedSettings, resolveSettings, type SettingsOverrides } from './settings.js';
import { runWatcher } from './streaming.js';

/** How to build an operator. Everything is optional. */
export interface OperatorOptions {
  /** The handlers; default: the registry `on.*` used (`getDefaultRegistry()`). */
  readonly registry?: Registry;
  /** Settings or overrides of Kopf's defaults, group by group. */
  readonly settings?: SettingsOverrides | OperatorSettings;
  /** A ready API client (a swapped transport, a test's counting client). */
  readonly client?: ApiClient;
  /** How to connect when no client is given; `on.login` handlers take precedence. */
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
}

/** Lifecycle events a host service can subscribe to. */
export interface OperatorEvents {
  /** Connected, startup handlers done, watching begun. */
  started: [];
  /** Every watched resource has been listed once. */
  ready: [];
  stopping: [];
  stopped: [];
  /** Something failed outside of any handler (a watcher, an activity). */
  error: [error: unknown];
}

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * An operator, embeddable in any Node service.
 *
 * @example
 * const operator = new Operator({ namespaces: ['default'] });
 * operator.on('ready', () => console.log('serving'));
 * await operator.start();
 * // … later, e.g. on SIGTERM:
 * await operator.stop();
 */
export class Operator extends EventEmitter<OperatorEvents> {
  readonly registry: Registry;
  readonly settings: ResolvedSettings;
  readonly memo: Memo;
  readonly clock: Clock;
  readonly logs: LogSink;
  /** Resolves once every watched resource has been listed (and handled) at least once. */
  readonly ready: Promise<void>;
  readonly #options: OperatorOptions;
  readonly #controller = new AbortController();
  readonly #indexes: Indexes = {};
  readonly #memories = new ObjectMemories();
  #state: State = 'new';
  #client: ApiClient | undefined;
  #ownClient: HttpClient | undefined;
  #poster: EventPoster | undefined;
  #running: Promise<void> | undefined;
  #markReady: () => void = () => {};

  constructor(options: OperatorOptions = {}) {
    super();
    this.#options = options;
    this.registry = options.registry ?? getDefaultRegistry();
    this.settings = resolveSettings(options.settings);
    this.memo = options.memo ?? {};
    this.clock = options.clock ?? systemClock;
    this.logs = options.logs ?? streamSink();
    this.ready = new Promise((resolve) => {
      this.#markReady = resolve;
    });
  }

  /** The API client in use (after `start()`). */
  get client(): ApiClient | undefined {
    return this.#client;
  }

  /**
   * Connects, runs the startup handlers, and starts watching. Resolves once
   * watching has begun (see `ready` for the first full listing).
   *
   * @throws ActivityError when a startup handler fails for good; ApiError/ApiConnectionError when the cluster cannot be reached.
   */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`The operator cannot start: it is ${this.#state}.`);
    this.#state = 'starting';
    const logger = createLogger({ sink: this.logs, name: 'kopf.reactor' });
    try {
      this.#client = this.#options.client ?? (await this.#connect());
      await runActivity('startup', this.#activityContext());
      fillStorages(this.settings);
      this.#poster = new EventPoster(this.#client, {
        ...this.settings.posting,
        logger: createLogger({ sink: this.logs, name: 'kopf.posting' }),
      });
    } catch (error) {
      this.#state = 'stopped';
      this.#ownClient?.close();
      throw error;
    }
    const events = this.#eventSink(this.#poster);
    this.#running = runInHandlerContext(
      { eventSink: events, settings: this.settings, client: this.#client },
      () => this.#orchestrate(events),
    ).catch((error: unknown) => {
      logger.error('The operator has failed.', error);
      this.emit('error', error);
    });
    this.#state = 'running';
    this.emit('started');
  }

  /**
   * Stops gracefully: stops watching, lets queued work finish (`queueing.exitTimeout`),
   * runs the cleanup handlers, flushes Events and closes the connections.
   */
  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    this.emit('stopping');
    this.#controller.abort();
    await this.#running;
    try {
      if (this.#client) await runActivity('cleanup', this.#activityContext());
    } catch (error) {
      this.emit('error', error);
    } finally {
      await this.#poster?.close();
      this.#ownClient?.close();
      this.#state = 'stopped';
      this.emit('stopped');
    }
  }

  async #connect(): Promise<ApiClient> {
    const hasLogin = this.registry.activityHandlers('authentication').length > 0;
    const login = async (): Promise<ConnectionInfo[]> => {
      const outcomes = await runActivity('authentication', this.#activityContext());
      return [...outcomes.values()].map((outcome) => outcome.result).filter(isConnectionInfo);
    };
    this.#ownClient = await createApiClient({
      ...this.#options.connection,
      ...(hasLogin ? { connection: login } : {}),
      requestTimeout: this.settings.networking.requestTimeout,
      errorBackoffs: this.settings.networking.errorBackoffs,
      enforceRetryAfter: this.settings.networking.enforceRetryAfter,
    });
    return this.#ownClient;
  }

  #activityContext() {
    return {
      client: this.#client,
      registry: this.registry,
      settings: this.settings,
      clock: this.clock,
      lifecycle: this.#options.lifecycle ?? getDefaultLifecycle(),
      memo: this.memo,
      indexes: this.#indexes,
      logs: this.logs,
    };
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

  async #orchestrate(events: EventSink): Promise<void> {
    const client = this.#client as ApiClient;
    const logger = createLogger({ sink: this.logs, name: 'kopf.reactor' });
    const pending = new Set<string>();
    let first = true;
    await orchestrate({
      client,
      registry: this.registry,
      namespaces: this.#options.namespaces,
      logger,
      signal: this.#controller.signal,
      onTargets: (targets) => {
        if (!first) return;
        first = false;
        for (const target of targets) pending.add(targetKey(target));
        this.#checkReady(pending);
      },
      run: (target, matches, signal) =>
        runWatcher({
          client,
          resource: target.resource,
          namespace: target.namespace,
          settings: this.settings,
          clock: this.clock,
          logger,
          signal,
          processor: (event, queue) =>
            processResourceEvent(event, this.#resourceContext(target, matches, events), queue),
          onListed: () => {
            pending.delete(targetKey(target));
            this.#checkReady(pending);
          },
          onError: (error) => this.emit('error', error),
        }),
    });
  }

  #checkReady(pending: ReadonlySet<string>): void {
    if (pending.size > 0 || this.#state === 'stopped') return;
    this.#markReady();
    this.emit('ready');
  }

  #resourceContext(
    target: WatchTarget,
    matches: (
      selector: Parameters<Registry['forResource']>[0] extends (s: infer S) => boolean ? S : never,
    ) => boolean,
    events: EventSink,
  ): ResourceContext {
    return {
      resource: target.resource,
      handlers: this.registry.forResource(matches),
      client: this.#client as ApiClient,
      settings: this.settings,
      clock: this.clock,
      lifecycle: this.#options.lifecycle ?? getDefaultLifecycle(),
      memories: this.#memories,
      memo: this.memo,
      indexes: this.#indexes,
      logs: this.logs,
      events,
    };
  }
}

function isConnectionInfo(value: unknown): value is ConnectionInfo {
  return typeof value === 'object' && value !== null && typeof (value as ConnectionInfo).server === 'string';
}

/**
 * Runs an operator until SIGINT or SIGTERM, then stops it gracefully: the one-line
 * way to run the handlers registered with `on.*`.
 *
 * @example
 * import { on } from '@kopf/core';
 * import { run } from '@kopf/reactor';
 * on.create('kopfexamples', ({ spec }) => ({ message: 'hello world' }));
 * await run({ namespaces: ['default'] });
 */
export async function run(options: OperatorOptions = {}): Promise<void> {
  const operator = new Operator(options);
  const logger = createLogger({ sink: operator.logs, name: 'kopf.reactor' });
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info(`Signal ${signal} is received. Operator is stopping.`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void operator.stop().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await operator.start();
  await stopped;
}
