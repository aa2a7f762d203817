/**
 * The operator's watching, wired: orchestration of one watcher per resource and
 * namespace (stopped while peering pauses the operator), the peering tasks beside
 * them, and for each watcher its processing context — indexes and their readiness,
 * daemons, telemetry — with its health and metrics observers. Readiness is
 * reported once every target of the first unpaused reconciliation has listed.
 */
import {
  type EventSink,
  getDefaultLifecycle,
  type RawEvent,
  type Registry,
  type ResourceSelector,
} from '@kopf/core';
import type { ApiClient } from '@kopf/k8s';
import type { Clock } from './clock.js';
import type { Health } from './health.js';
import type { OperatorIndexes } from './indexes.js';
import { holdLease, type LeaseSettings } from './leasing.js';
import { createLogger } from './loggers.js';
import type { LogSink } from './logging.js';
import type { ObjectMemories } from './memories.js';
import type { Metrics } from './metrics.js';
import { orchestrate, type PeeringPlan, resourceKey, targetKey, type WatchTarget } from './orchestration.js';
import { runPeering } from './peering.js';
import { selectPeeringResource } from './peering-resources.js';
import { processResourceEvent, type ResourceContext } from './processing.js';
import type { Processor } from './queueing.js';
import { ListingReadiness } from './readiness.js';
import type { OperatorOptions } from './running.js';
import type { ResolvedSettings } from './settings.js';
import type { DaemonRegistry } from './spawning.js';
import { runWatcher, type WatcherObserver } from './streaming.js';
import type { Telemetry } from './telemetry.js';
import type { ToggleSet } from './toggles.js';

/** What watching needs from the operator. */
export interface WatchingContext {
  readonly operator: {
    readonly registry: Registry;
    readonly settings: ResolvedSettings;
    readonly clock: Clock;
    readonly logs: LogSink;
    readonly memo: Record<string, unknown>;
    readonly identity: string;
    emit(event: 'error', error: unknown): boolean;
  };
  readonly client: ApiClient;
  readonly options: OperatorOptions;
  readonly signal: AbortSignal;
  readonly events: EventSink;
  readonly memories: ObjectMemories;
  readonly indexes: OperatorIndexes;
  /** On while the operator is paused (peering). */
  readonly paused: ToggleSet;
  /** On while indexed resources are still listing. */
  readonly indexing: ToggleSet;
  readonly daemons: DaemonRegistry;
  readonly health: Health;
  readonly metrics: Metrics | undefined;
  readonly telemetry: Telemetry;
  readonly onReady: () => void;
}

/** Watching in progress. */
export interface Watching {
  /** Resolves when watching has ended (after the signal aborted). */
  readonly done: Promise<void>;
}

/** Starts watching; see the module description. */
export function watch(context: WatchingContext): Watching {
  const { operator, client, options, signal } = context;
  const logger = createLogger({ sink: operator.logs, name: 'kopf.reactor' });
  let pending: Set<string> | undefined;
  const leading = options.lease ? lead(context, options.lease) : Promise.resolve();
  const orchestrating = orchestrate({
    client,
    registry: operator.registry,
    namespaces: options.namespaces,
    logger,
    signal,
    paused: context.paused,
    scanning: !operator.settings.scanning.disabled,
    ...(operator.settings.peering.standalone ? {} : { peering: peeringPlan(context) }),
    onTargets: (targets) => {
      if (pending !== undefined) return;
      pending = new Set(targets.map(targetKey));
      if (pending.size === 0) context.onReady();
    },
    run: (target, matches, watcherSignal) => {
      const key = targetKey(target);
      const onListed = (): void => {
        pending?.delete(key);
        if (pending?.size === 0) context.onReady();
      };
      return runTarget(context, target, matches, watcherSignal, onListed);
    },
  });
  return { done: Promise.all([orchestrating, leading]).then(() => undefined) };
}

/** Holds the operator paused until it holds the lease (made before any watcher starts). */
function lead(context: WatchingContext, lease: LeaseSettings): Promise<void> {
  const toggle = context.paused.make(`lease ${lease.namespace}/${lease.name}`, true);
  return holdLease({
    client: context.client,
    lease,
    identity: context.operator.identity,
    clock: context.operator.clock,
    logger: createLogger({ sink: context.operator.logs, name: 'kopf.leasing' }),
    toggle,
    signal: context.signal,
  }).finally(() => context.paused.drop(toggle));
}

function runTarget(
  context: WatchingContext,
  target: WatchTarget,
  matches: (selector: ResourceSelector) => boolean,
  signal: AbortSignal,
  onListed: () => void,
): Promise<void> {
  const { operator } = context;
  const key = targetKey(target);
  const indexed = operator.registry.forResource(matches).all('indexing').length > 0;
  const listing = indexed ? new ListingReadiness(context.indexing, key) : undefined;
  const health = context.health.watcher(key);
  const observer = combine(health, context.metrics?.watcher(resourceKey(target.resource)));
  const processingSignal = AbortSignal.any([context.signal, signal]);
  const processor: Processor<RawEvent> = (event, queue) =>
    processResourceEvent(event, resourceContext(context, target, matches, listing, processingSignal), queue);
  return runWatcher({
    client: context.client,
    resource: target.resource,
    namespace: target.namespace,
    settings: operator.settings,
    clock: operator.clock,
    logger: createLogger({ sink: operator.logs, name: 'kopf.reactor' }),
    signal,
    processor,
    onListed,
    onError: (error) => operator.emit('error', error),
    ...(listing ? { listing } : {}),
    observer,
  })
    .catch((error: unknown) => {
      health.failed(error);
      throw error;
    })
    .finally(() => listing?.close());
}

function resourceContext(
  context: WatchingContext,
  target: WatchTarget,
  matches: (selector: ResourceSelector) => boolean,
  listing: ListingReadiness | undefined,
  signal: AbortSignal,
): ResourceContext {
  const { operator, options } = context;
  return {
    resource: target.resource,
    handlers: operator.registry.forResource(matches),
    client: context.client,
    settings: operator.settings,
    clock: operator.clock,
    lifecycle: options.lifecycle ?? getDefaultLifecycle(),
    memories: context.memories,
    memo: operator.memo,
    indexes: context.indexes.view,
    logs: operator.logs,
    events: context.events,
    resourceKey: resourceKey(target.resource),
    indexers: context.indexes,
    indexing: context.indexing,
    listing,
    daemons: context.daemons,
    telemetry: context.telemetry,
    stuckAfter: options.stuckAfter ?? 3,
    signal,
  };
}

/** Peering beside the watchers: one task per peering object, each holding a pause toggle. */
function peeringPlan(context: WatchingContext): PeeringPlan {
  const { operator, client, paused } = context;
  const { settings } = operator;
  const missing = paused.make('the peering CRD is missing', false);
  const logger = createLogger({ sink: operator.logs, name: 'kopf.peering' });
  return {
    select: (resources) => selectPeeringResource(resources, settings.peering.clusterwide),
    missing: (absent) => missing.turnTo(settings.peering.mandatory && absent),
    run: async (resource, namespace, signal) => {
      const where = `${settings.peering.name}@${namespace ?? 'cluster'}`;
      const conflicts = paused.make(`peering ${where}`, settings.peering.mandatory);
      try {
        await runPeering({
          client,
          target: { resource, namespace, name: settings.peering.name },
          identity: operator.identity,
          settings,
          clock: operator.clock,
          logger,
          conflicts,
          signal,
        });
      } finally {
        paused.drop(conflicts);
      }
    },
  };
}

function combine(...observers: (WatcherObserver | undefined)[]): WatcherObserver {
  const present = observers.filter((observer): observer is WatcherObserver => observer !== undefined);
  return {
    started: (queues) => {
      for (const observer of present) observer.started?.(queues);
    },
    received: () => {
      for (const observer of present) observer.received?.();
    },
    restarted: (reason, details) => {
      for (const observer of present) observer.restarted?.(reason, details);
    },
    ended: () => {
      for (const observer of present) observer.ended?.();
    },
  };
}
