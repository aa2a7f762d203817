/**
 * Batching and rate-limiting of Events, so that a handler failing in a hot loop
 * cannot flood the API server (client-go has an EventCorrelator for the same
 * reason; Kopf has nothing). The same object + type + reason + message within a
 * window becomes ONE Event with `count`; each object may post a burst of Events,
 * then one per refill interval; the number of pending Events is bounded. Nothing
 * here throws: failures and drops are logged.
 */
import type { ApiClient } from './client.js';
import type { EventBodyOptions, EventLogger, EventSpec } from './events.js';
import { postEvent } from './events.js';

/** Options of {@link EventPoster}; durations in seconds. */
export interface EventPosterOptions extends EventBodyOptions {
  /** Duplicates within this window after the first occurrence are merged; default 0.5 s. */
  readonly window?: number | undefined;
  /** Events an object may post at once; default 25. */
  readonly burst?: number | undefined;
  /** After the burst, one more Event per object per this many seconds; default 5 s. */
  readonly refill?: number | undefined;
  /** Most distinct Events waiting for their window; more are dropped; default 1000. */
  readonly maxPending?: number | undefined;
  /** Default: `console.warn`. */
  readonly logger?: EventLogger | undefined;
}

interface Pending {
  readonly spec: EventSpec;
  count: number;
  readonly first: Date;
  last: Date;
}

interface Bucket {
  tokens: number;
  updated: number;
  warned: boolean;
}

/**
 * Posts Events in the background, merged and rate-limited. `post()` returns at
 * once; `flush()` posts what is pending now; `close()` flushes and stops.
 *
 * @example
 * const poster = new EventPoster(client, { logger });
 * poster.post({ involved: body, type: 'Normal', reason: 'Success', message: "Handler 'create_fn' succeeded." });
 * await poster.close();
 */
export class EventPoster {
  readonly #client: ApiClient;
  readonly #options: EventPosterOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #buckets = new Map<string, Bucket>();
  readonly #inflight = new Set<Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(client: ApiClient, options: EventPosterOptions = {}) {
    this.#client = client;
    this.#options = options;
  }

  /** Queues an Event; duplicates within the window only raise its count. */
  post(spec: EventSpec): void {
    if (this.#closed) return;
    const key = JSON.stringify([
      spec.involved.metadata?.uid ?? spec.involved.metadata?.name,
      spec.type,
      spec.reason,
      spec.message,
    ]);
    const now = new Date();
    const pending = this.#pending.get(key);
    if (pending) {
      pending.count++;
      pending.last = now;
      return;
    }
    if (this.#pending.size >= (this.#options.maxPending ?? 1000)) {
      this.#logger().warning(`Too many Events pending; dropping one: reason=${spec.reason}.`);
      return;
    }
    this.#pending.set(key, { spec, count: 1, first: now, last: now });
    this.#timer ??= setTimeout(() => void this.flush(), (this.#options.window ?? 0.5) * 1000);
  }

  /** Posts everything pending now; resolves when those posts are done. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    const posts = batch.filter((item) => this.#admit(item)).map((item) => this.#send(item));
    await Promise.all([...posts, ...this.#inflight]);
  }

  /** Flushes and stops accepting Events. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #admit(item: Pending): boolean {
    const object = item.spec.involved.metadata?.uid ?? JSON.stringify(item.spec.involved.metadata ?? {});
    const burst = this.#options.burst ?? 25;
    const refill = (this.#options.refill ?? 5) * 1000;
    const now = Date.now();
    const bucket = this.#buckets.get(object) ?? { tokens: burst, updated: now, warned: false };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) / refill);
    bucket.updated = now;
    this.#buckets.set(object, bucket);
    if (this.#buckets.size > 10_000) this.#forgetFullBuckets(burst);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.warned = false;
      return true;
    }
    if (!bucket.warned) {
      bucket.warned = true;
      this.#logger().warning(
        `Too many Events about ${item.spec.involved.kind ?? 'an object'} ${item.spec.involved.metadata?.name ?? ''}; ` +
          'dropping them for a while.',
      );
    }
    return false;
  }

  #forgetFullBuckets(burst: number): void {
    for (const [key, bucket] of this.#buckets) if (bucket.tokens >= burst - 1) this.#buckets.delete(key);
  }

  #send(item: Pending): Promise<unknown> {
    const promise = postEvent(this.#client, item.spec, {
      ...this.#options,
      logger: this.#logger(),
      count: item.count,
      firstTimestamp: item.first,
      lastTimestamp: item.last,
    }).finally(() => this.#inflight.delete(promise));
    this.#inflight.add(promise);
    return promise;
  }

  #logger(): EventLogger {
    return this.#options.logger ?? { warning: (message: string) => console.warn(message) };
  }
}
