/**
 * Seeing the handlers' results from outside the operator: a watch of its own (in
 * the benchmark process, not the operator's) notes when each object first carries
 * `status.<handler-id>` (and, when asked, an annotation the actor writes last, so
 * that "done" means all of its writes for the object are done); `whenCount(n)`
 * resolves once `n` objects are. This is what a user would see, independent of
 * the operator's own bookkeeping.
 */
import type { KubernetesObject } from '@kopf/core';
import { type ApiClient, watchObjects } from '@kopf/k8s';
import { exampleIndex, KOPF_EXAMPLES, NAMESPACE } from './kopf-examples.js';
import { epochMs } from './latencies.js';

/** Watches the benchmark objects for a handler's result. */
export class ResultObserver {
  /** Index → when its result was first seen (`epochMs`). */
  readonly stored: Map<number, number> = new Map();
  readonly #field: string;
  readonly #annotation: string | undefined;
  readonly #controller = new AbortController();
  readonly #waiters: { count: number; resolve: () => void }[] = [];
  readonly #synced: Promise<void>;
  readonly #done: Promise<void>;

  /**
   * Starts watching; `field` is the status field the handler's result lands in, and
   * `annotation` one that must be there too (the operator's diff-base, written after the result).
   */
  constructor(client: ApiClient, field: string, annotation?: string) {
    this.#field = field;
    this.#annotation = annotation;
    let markSynced: () => void = () => undefined;
    this.#synced = new Promise((resolve) => {
      markSynced = resolve;
    });
    this.#done = this.#watch(client, markSynced);
  }

  /** Resolves once the initial listing is through (the watch is live). */
  synced(): Promise<void> {
    return this.#synced;
  }

  /** Resolves once at least `count` objects carry their result. */
  whenCount(count: number): Promise<void> {
    if (this.stored.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Stops watching. */
  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#done;
  }

  async #watch(client: ApiClient, markSynced: () => void): Promise<void> {
    const events = watchObjects<KubernetesObject>(client, KOPF_EXAMPLES, {
      namespace: NAMESPACE,
      signal: this.#controller.signal,
    });
    for await (const event of events) {
      if (event.type === 'SYNCED') markSynced();
      else if (event.type !== 'DELETED') this.#see(event.object);
    }
  }

  #see(object: KubernetesObject): void {
    const status = object.status as Record<string, unknown> | undefined;
    if (status?.[this.#field] === undefined) return;
    if (this.#annotation !== undefined && object.metadata?.annotations?.[this.#annotation] === undefined)
      return;
    const index = exampleIndex(object.metadata?.name);
    if (index === undefined || this.stored.has(index)) return;
    this.stored.set(index, epochMs());
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i];
      if (waiter && this.stored.size >= waiter.count) {
        this.#waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
