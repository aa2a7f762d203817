/**
 * Prometheus metrics of one operator (prom-client, in a registry of its own, so two
 * operators in one process do not collide): handler attempts by handler, resource
 * and outcome with their durations, retries, objects reported stuck, queue depth
 * and live per-object workers, watch restarts by reason (`expired` is a 410 Gone),
 * API calls by verb and code (and HTTP attempts, retries included, when the
 * operator makes its own client), running daemons and timers, and the pause.
 * Served at `metrics: 'http://0.0.0.0:9090/metrics'` with Node's default metrics.
 */
import type { RawEvent } from '@kopf/core';
import {
  type ApiClient,
  ApiError,
  type ApiRequest,
  type RequestInfo,
  requestKey,
  type WatchRestartReason,
} from '@kopf/k8s';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ObjectQueues } from './queueing.js';
import type { Route } from './serving.js';
import type { DaemonRegistry } from './spawning.js';
import type { WatcherObserver } from './streaming.js';
import type { HandlerReport, StuckReport } from './telemetry.js';

/** What the metrics read from the operator at scrape time. */
export interface MetricsSources {
  readonly daemons: DaemonRegistry;
  /** Whether the operator is paused now (by peering or a Lease). */
  readonly paused: () => boolean;
}

/** The metrics of one operator. */
export class Metrics {
  /** The prom-client registry (add your own metrics to it if you like). */
  readonly registry: Registry = new Registry();
  readonly #queues = new Map<ObjectQueues<RawEvent>, string>();
  readonly #handlerRuns: Counter<'handler' | 'kind' | 'resource' | 'outcome'>;
  readonly #handlerDurations: Histogram<'handler' | 'kind' | 'resource'>;
  readonly #retries: Counter<'handler' | 'resource'>;
  readonly #stuck: Counter<'resource' | 'reason'>;
  readonly #restarts: Counter<'resource' | 'reason'>;
  readonly #calls: Counter<'verb' | 'code'>;
  readonly #attempts: Counter<'method' | 'code'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    const queues = this.#queues;
    this.#handlerRuns = new Counter({
      name: 'kopf_handler_runs_total',
      help: 'Handler attempts by handler, kind, resource and outcome (success, temporary, permanent).',
      labelNames: ['handler', 'kind', 'resource', 'outcome'],
      registers,
    });
    this.#handlerDurations = new Histogram({
      name: 'kopf_handler_duration_seconds',
      help: 'Duration of handler attempts.',
      labelNames: ['handler', 'kind', 'resource'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.#retries = new Counter({
      name: 'kopf_handler_retries_total',
      help: 'Handler attempts that failed temporarily and will be retried.',
      labelNames: ['handler', 'resource'],
      registers,
    });
    this.#stuck = new Counter({
      name: 'kopf_objects_stuck_total',
      help: 'Objects reported stuck (a handler kept failing, or processing was throttled).',
      labelNames: ['resource', 'reason'],
      registers,
    });
    this.#restarts = new Counter({
      name: 'kopf_watch_restarts_total',
      help: 'Watch or list re-requests by reason (expired = 410 Gone, error, closed, inactive).',
      labelNames: ['resource', 'reason'],
      registers,
    });
    this.#calls = new Counter({
      name: 'kopf_api_requests_total',
      help: 'Kubernetes API calls by verb and response code (2xx when successful).',
      labelNames: ['verb', 'code'],
      registers,
    });
    this.#attempts = new Counter({
      name: 'kopf_api_attempts_total',
      help: 'HTTP attempts to the API server by method and status, retries included (own clients only).',
      labelNames: ['method', 'code'],
      registers,
    });
    new Gauge({
      name: 'kopf_queue_depth',
      help: 'Events waiting in the per-object queues, by resource.',
      labelNames: ['resource'],
      registers,
      collect() {
        this.reset();
        for (const [queue, resource] of queues) this.inc({ resource }, queue.depth);
      },
    });
    new Gauge({
      name: 'kopf_object_workers',
      help: 'Live per-object workers, by resource.',
      labelNames: ['resource'],
      registers,
      collect() {
        this.reset();
        for (const [queue, resource] of queues) this.inc({ resource }, queue.size);
      },
    });
    new Gauge({
      name: 'kopf_daemons_running',
      help: 'Running daemons and timers, by kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        const counts = sources.daemons.counts();
        this.set({ kind: 'daemon' }, counts.daemon);
        this.set({ kind: 'timer' }, counts.timer);
      },
    });
    new Gauge({
      name: 'kopf_operator_paused',
      help: '1 while the operator is paused by peering, else 0.',
      registers,
      collect() {
        this.set(sources.paused() ? 1 : 0);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts a handler run: its outcome, its duration, and a retry when it failed temporarily. */
  handlerDone(report: HandlerReport): void {
    const resource = report.resource ?? '';
    this.#handlerRuns.inc({ handler: report.handler, kind: report.kind, resource, outcome: report.outcome });
    this.#handlerDurations.observe({ handler: report.handler, kind: report.kind, resource }, report.duration);
    if (report.outcome === 'temporary') this.#retries.inc({ handler: report.handler, resource });
  }

  /** Counts an object reported as stuck. */
  objectStuck(report: StuckReport): void {
    this.#stuck.inc({ resource: report.resource, reason: report.reason });
  }

  /** Counts a restart of the watch of a resource, by reason. */
  watchRestarted(resource: string, reason: WatchRestartReason): void {
    this.#restarts.inc({ resource, reason });
  }

  /** The `onRequest` hook of the operator's own API client. */
  attempted(info: RequestInfo): void {
    this.#attempts.inc({
      method: info.method,
      code: info.status === undefined ? 'error' : String(info.status),
    });
  }

  /** Follows a watcher's queues (for depth and workers) and restarts. */
  watcher(resource: string): WatcherObserver {
    let tracked: ObjectQueues<RawEvent> | undefined;
    return {
      started: (queues) => {
        tracked = queues;
        this.#queues.set(queues, resource);
      },
      restarted: (reason) => this.watchRestarted(resource, reason),
      ended: () => {
        if (tracked) this.#queues.delete(tracked);
      },
    };
  }

  /** Wraps a client to count its calls by verb and code. */
  meter(client: ApiClient): ApiClient {
    const count = async <T>(request: ApiRequest, call: () => Promise<T>): Promise<T> => {
      const verb = requestKey(request).split(' ')[0] ?? request.method;
      try {
        const result = await call();
        this.#calls.inc({ verb, code: '2xx' });
        return result;
      } catch (error) {
        this.#calls.inc({ verb, code: error instanceof ApiError ? String(error.code) : 'error' });
        throw error;
      }
    };
    return {
      get server() {
        return client.server;
      },
      get defaultNamespace() {
        return client.defaultNamespace;
      },
      request: <T = unknown>(request: ApiRequest) => count(request, () => client.request<T>(request)),
      stream: (request: ApiRequest) => count(request, () => client.stream(request)),
    };
  }

  /** The route serving the metrics in Prometheus' text format. */
  route(): Route {
    return async () => ({
      status: 200,
      body: await this.registry.metrics(),
      contentType: this.registry.contentType,
    });
  }
}
