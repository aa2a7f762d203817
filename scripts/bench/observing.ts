/**
 * Seeing the handlers' results from outside the operator: a watch of its own (in
 * the benchmark process, not the operator's) notes when each object is first seen
 * done, as a predicate says: it carries the handler's result in `status`, and for
 * the operator also the diff-base annotation it writes last, so that all of its
 * writes for the object are done. `whenCount(n)` resolves once `n` objects are.
 * This is what a user would see, independent of the operator's own bookkeeping.
 */
import type { KubernetesObject } from '@kopf/core';
import { type ApiClient, watchObjects } from '@kopf/k8s';
import { exampleIndex, KOPF_EXAMPLES, NAMESPACE } from './kopf-examples.js';
import { epochMs } from './latencies.js';

/** Whether an object is done; see {@link resultStored}. */
export type DonePredicate = (object: KubernetesObject) => boolean;

/** Watches the benchmark objects until they are done. */
export class ResultObserver {
  /** Index → when it was first seen done (`epochMs`). */
  readonly stored: Map<number, number> = new Map();
  readonly #done: DonePredicate;
  readonly #controller = new AbortController();
  readonly #waiters: { count: number; resolve: () => void }[] = [];
  readonly #synced: Promise<void>;
  readonly #watching: Promise<void>;

  /** Starts watching for objects that `done` accepts. */
  constructor(client: ApiClient, done: DonePredicate) {
    this.#done = done;
    let markSynced: () => void = () => undefined;
    this.#synced = new Promise((resolve) => {
      markSynced = resolve;
    });
    this.#watching = this.#watch(client, markSynced);
  }

  /** Resolves once the initial listing is through (the watch is live). */
  synced(): Promise<void> {
    return this.#synced;
  }

  /** Resolves once at least `count` objects are done. */
  whenCount(count: number): Promise<void> {
    if (this.stored.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Stops watching. */
  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#watching;
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
    if (!this.#done(object)) return;
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

/** What makes an object done: see {@link resultStored}. */
export interface ResultCondition {
  /** The `status` field of the handler's result (its id). */
  readonly field: string;
  /** Whether the result is the awaited one; default: any result. */
  readonly accepts?: (result: unknown) => boolean;
  /** An annotation that must be there too, written after the result. */
  readonly annotation?: string;
  /** Text that the annotation must contain; default: any. */
  readonly containing?: string;
}

/** A predicate of done objects: the result is stored (and the annotation, when asked). */
export function resultStored(condition: ResultCondition): DonePredicate {
  return (object) => {
    const result = (object.status as Record<string, unknown> | undefined)?.[condition.field];
    if (result === undefined || (condition.accepts && !condition.accepts(result))) return false;
    if (condition.annotation === undefined) return true;
    const annotation = object.metadata?.annotations?.[condition.annotation];
    return annotation?.includes(condition.containing ?? '') ?? false;
  };
}
