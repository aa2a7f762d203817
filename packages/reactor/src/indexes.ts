/**
 * The in-memory indexes that `on.index` handlers fill (Kopf's `Index` and `Store`):
 * per index, keys map to stores of values, each value contributed by one object.
 * An object's contributions are replaced as a whole on each of its events and
 * removed when it is deleted; a reverse map keeps that O(keys of one object).
 * Handlers get read-only views (core's `Index`/`Store`); only the reactor writes.
 * Composite keys (arrays) compare by value, as Kopf's tuples do.
 */
import type { Index, Indexes, IndexKey, Store } from '@kopf/core';

/** An object's identity within the indexes: its namespace, name and uid. */
export type ObjectSlot = string;

/** The values under one key, one per contributing object. */
export class IndexStore<V = unknown> implements Store<V> {
  readonly #values = new Map<ObjectSlot, V>();

  get size(): number {
    return this.#values.size;
  }

  /** Iterates over the values of every contributing object. */
  [Symbol.iterator](): Iterator<V> {
    return this.#values.values();
  }

  /** Stores (or replaces) one object's value. */
  put(slot: ObjectSlot, value: V): void {
    this.#values.set(slot, value);
  }

  /** Forgets one object's value. */
  discard(slot: ObjectSlot): void {
    this.#values.delete(slot);
  }
}

/** `JSON.stringify` tells `'1'` from `1` and compares arrays by value. */
function encode(key: IndexKey): string {
  return JSON.stringify(key);
}

/** One index: keys to stores, with the reverse map of each object's keys. */
export class OperatorIndex<V = unknown, K extends IndexKey = IndexKey> implements Index<V, K> {
  readonly #stores = new Map<string, { key: K; store: IndexStore<V> }>();
  readonly #reverse = new Map<ObjectSlot, Set<string>>();

  get size(): number {
    return this.#stores.size;
  }

  get(key: K): Store<V> | undefined {
    return this.#stores.get(encode(key))?.store;
  }

  has(key: K): boolean {
    return this.#stores.has(encode(key));
  }

  *keys(): IterableIterator<K> {
    for (const entry of this.#stores.values()) yield entry.key;
  }

  /** Iterates over every key with its store of values. */
  *[Symbol.iterator](): Iterator<[K, Store<V>]> {
    for (const entry of this.#stores.values()) yield [entry.key, entry.store];
  }

  /** Replaces everything `slot` contributed with `entries`. */
  replace(slot: ObjectSlot, entries: Iterable<readonly [K, V]>): void {
    const reverse = this.#reverse.get(slot) ?? new Set<string>();
    this.#reverse.set(slot, reverse);
    const kept = new Set<string>();
    for (const [key, value] of entries) {
      const encoded = encode(key);
      let entry = this.#stores.get(encoded);
      if (!entry) {
        entry = { key, store: new IndexStore<V>() };
        this.#stores.set(encoded, entry);
      }
      entry.store.put(slot, value);
      reverse.add(encoded);
      kept.add(encoded);
    }
    this.#discardKeys(
      slot,
      [...reverse].filter((encoded) => !kept.has(encoded)),
    );
  }

  /** Removes everything `slot` contributed. */
  discard(slot: ObjectSlot): void {
    const reverse = this.#reverse.get(slot);
    if (reverse) this.#discardKeys(slot, [...reverse]);
  }

  #discardKeys(slot: ObjectSlot, encodedKeys: readonly string[]): void {
    const reverse = this.#reverse.get(slot);
    for (const encoded of encodedKeys) {
      const entry = this.#stores.get(encoded);
      entry?.store.discard(slot);
      if (entry && entry.store.size === 0) this.#stores.delete(encoded);
      reverse?.delete(encoded);
    }
    if (reverse?.size === 0) this.#reverse.delete(slot);
  }
}

/**
 * Turns what an index handler returned into index entries (Kopf's rules): a `Map`
 * gives its entries, a plain object its properties, anything else (but
 * `undefined`/`null`, which mean "nothing to index") one entry under the key `null`.
 */
export function indexEntries(result: unknown): [IndexKey, unknown][] {
  if (result === undefined || result === null) return [];
  if (result instanceof Map) return [...result.entries()] as [IndexKey, unknown][];
  if (typeof result === 'object' && Object.getPrototypeOf(result) === Object.prototype) {
    return Object.entries(result as Record<string, unknown>);
  }
  return [[null, result]];
}

/** All indexes of one operator, by the ids of their handlers. */
export class OperatorIndexes {
  readonly #indexes = new Map<string, OperatorIndex>();
  /** The read-only view handlers get as the `indexes` kwarg. */
  readonly view: Indexes;

  /** One (empty) index per id, so every index exists before the first handler runs. */
  constructor(ids: Iterable<string> = []) {
    const view: Record<string, Index> = {};
    for (const id of ids) {
      const index = new OperatorIndex();
      this.#indexes.set(id, index);
      view[id] = index;
    }
    this.view = Object.freeze(view);
  }

  /** The index of a handler id (`undefined` for unknown ids). */
  get(id: string): OperatorIndex | undefined {
    return this.#indexes.get(id);
  }

  /** Removes an object's values from every index. */
  discard(slot: ObjectSlot): void {
    for (const index of this.#indexes.values()) index.discard(slot);
  }
}
