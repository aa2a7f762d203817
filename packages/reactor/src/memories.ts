/**
 * What the operator remembers about each object it has seen, for as long as the
 * object exists: its memo (a shallow copy of the operator's), whether it came from
 * the initial listing and was fully handled once (for resume handlers), its error
 * throttling, body transformations still to apply, its daemons and timers, and its
 * indexing failures. Forgotten on deletion.
 */
import { copyMemo, type KubernetesObject, type Memo, type PatchFn } from '@kopf/core';
import type { DaemonsMemory } from './daemons.js';
import type { IndexingMemory } from './indexing.js';
import { Throttler } from './throttling.js';

/** The in-memory state of one object. */
export interface ObjectMemory {
  readonly memo: Memo;
  readonly throttler: Throttler;
  /** The object was first seen in a listing (not created while the operator runs). */
  noticedByListing: boolean;
  /** All handlers of some cause have finished once in this process: no more resuming. */
  fullyHandledOnce: boolean;
  /** Finalizer transformations that lost a race (422) and wait for the next cycle. */
  remaining: readonly PatchFn[];
  /** The object's daemons and timers (made on first need: most objects have none). */
  daemons: DaemonsMemory | undefined;
  /** The object's index handlers that failed and are excluded for now. */
  readonly indexing: IndexingMemory;
  /** Whether `objectStuck` was reported for the current throttling or retry streak. */
  stuck: boolean;
  /**
   * This process removed the finalizer of the object being deleted. Events that
   * still show the finalizer are stale (were sent before): once deletion has begun,
   * a finalizer can be removed but never added back.
   */
  released: boolean;
}

/**
 * The identity of an object for the operator's memory: its uid, or (for the rare
 * kinds without one) a composite of kind, apiVersion, name, namespace, creation time.
 */
export function objectKey(body: KubernetesObject): string {
  const meta = body.metadata ?? {};
  if (meta.uid) return meta.uid;
  return [body.kind, body.apiVersion, meta.name, meta.namespace, meta.creationTimestamp]
    .map((part) => part || '-')
    .join('//');
}

/** The memories of all objects of one operator. */
export class ObjectMemories {
  readonly #memories = new Map<string, ObjectMemory>();

  get size(): number {
    return this.#memories.size;
  }

  /** The object's memory, created on first sight (with a copy of `memo`). */
  recall(body: KubernetesObject, options: { noticedByListing: boolean; memo: Memo }): ObjectMemory {
    const key = objectKey(body);
    let memory = this.#memories.get(key);
    if (!memory) {
      memory = {
        memo: copyMemo(options.memo),
        throttler: new Throttler(),
        noticedByListing: options.noticedByListing,
        fullyHandledOnce: false,
        remaining: [],
        daemons: undefined,
        indexing: { state: undefined },
        stuck: false,
        released: false,
      };
      this.#memories.set(key, memory);
    }
    return memory;
  }

  forget(body: KubernetesObject): void {
    this.#memories.delete(objectKey(body));
  }

  /** Every remembered object's memory. */
  all(): IterableIterator<ObjectMemory> {
    return this.#memories.values();
  }
}
