/**
 * One watcher: the list+watch stream of one resource in one namespace (or the
 * whole cluster), multiplexed into per-object queues whose processor is the
 * handling cycle. Runs until its signal aborts, then lets the queued events drain.
 */
import type { Logger, RawEvent, Resource } from '@kopf/core';
import { type ApiClient, type WatchRestart, type WatchRestartReason, watchObjects } from '@kopf/k8s';
import type { Clock } from './clock.js';
import { objectKey } from './memories.js';
import { ObjectQueues, type Processor } from './queueing.js';
import type { ListingTracker } from './readiness.js';
import type { ResolvedSettings } from './settings.js';

/** Who follows a watcher's life: the liveness check and the metrics. */
export interface WatcherObserver {
  /** The watcher's queues exist (for queue depth and worker counts). */
  started?(queues: ObjectQueues<RawEvent>): void;
  /** Something arrived on the stream (the watch works). */
  received?(): void;
  /** The list or watch request is repeated (410 Gone is `expired`). */
  restarted?(reason: WatchRestartReason, details: WatchRestart): void;
  /** The watcher has ended. */
  ended?(): void;
}

export interface WatcherOptions {
  readonly client: ApiClient;
  readonly resource: Resource;
  /** `undefined`: cluster-wide (or a cluster-scoped resource). */
  readonly namespace: string | undefined;
  readonly settings: ResolvedSettings;
  readonly clock: Clock;
  readonly processor: Processor<RawEvent>;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Called once every object of the first listing has been queued. */
  readonly onListed?: () => void;
  /** Called when a processor fails outside of handlers (a framework bug). */
  readonly onError?: (error: unknown) => void;
  /** Told about the objects of the first listing (indexed resources hold the operator until indexed). */
  readonly listing?: ListingTracker;
  readonly observer?: WatcherObserver;
}

/** Watches one resource in one namespace until aborted. */
export async function runWatcher(options: WatcherOptions): Promise<void> {
  const { settings, clock, resource, namespace, logger } = options;
  const queues = new ObjectQueues<RawEvent>({
    processor: options.processor,
    keyOf: (event) => objectKey(event.object),
    versionOf: (event) => event.object.metadata?.resourceVersion,
    clock,
    idleTimeout: settings.queueing.idleTimeout * 1000,
    consistencyTimeout: settings.persistence.consistencyTimeout * 1000,
    workerLimit: settings.queueing.workerLimit,
    onError: (key, error) => {
      logger.error(`Event processing has failed with an unrecoverable error for ${key}.`, error);
      options.onError?.(error);
    },
  });
  const where = namespace ? `in '${namespace}'` : 'cluster-wide';
  logger.debug(
    `Starting the watch-stream for ${resource.plural}.${resource.version}${resource.group ? `.${resource.group}` : ''} ${where}.`,
  );
  let listed = false;
  const { listing, observer } = options;
  observer?.started?.(queues);
  try {
    const stream = watchObjects(options.client, resource, {
      signal: options.signal,
      namespace,
      inactivityTimeout: settings.watching.inactivityTimeout,
      serverTimeout: settings.watching.serverTimeout,
      clientTimeout: settings.watching.clientTimeout,
      connectTimeout: settings.watching.connectTimeout,
      reconnectBackoff: settings.watching.reconnectBackoff,
      onRestart: (reason, details) => {
        logger.debug(`Restarting the watch-stream for ${resource.plural} ${where}: ${reason}.`);
        observer?.restarted?.(reason, details);
      },
    });
    for await (const event of stream) {
      observer?.received?.();
      if (event.type === 'SYNCED') {
        if (!listed) options.onListed?.();
        if (!listed) listing?.synced();
        listed = true;
      } else if (event.type === 'LISTED') {
        if (!listed) listing?.listed(objectKey(event.object));
        queues.push({ type: null, object: event.object });
      } else {
        queues.push({ type: event.type, object: event.object });
      }
    }
  } finally {
    observer?.ended?.();
    await queues.close(settings.queueing.exitTimeout * 1000);
    if (queues.size > 0)
      logger.warning(`Unprocessed streams left for ${queues.size} objects of ${resource.plural} ${where}.`);
  }
}
