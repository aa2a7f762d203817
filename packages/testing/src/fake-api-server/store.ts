/**
 * The object store: every object of every resource, one global monotonically
 * increasing resource version (etcd's revision), the bounded change history, and
 * synchronous change notifications for watches and controllers.
 *
 * `ObjectStore` is the seam for persistence: the server only talks to this interface;
 * `MemoryStore` keeps everything in memory, `PersistentStore` (`persistent-store.ts`)
 * adds a write-ahead log and snapshots on top of it. Objects handed in and out are
 * treated as immutable.
 */
import { ChangeHistory, type ChangeType, type StoreChange } from './history.js';
import { type JsonObject, metaOf } from './objects.js';

export type { ChangeType, StoreChange };

/** Called synchronously, in resource-version order, after each persisted change. */
export type ChangeListener = (change: StoreChange) => void;

/** Where the server keeps objects. Keys are `namespace/name` or `name`. */
export interface ObjectStore {
  /** The newest resource version. */
  readonly revision: number;
  /** Changes up to this resource version are forgotten. */
  readonly compactedRevision: number;
  get(storage: string, key: string): JsonObject | undefined;
  /** Current objects, sorted by key, optionally of one namespace. */
  list(storage: string, namespace?: string): JsonObject[];
  /** Objects as they were at `revision`, or `undefined` when that is compacted away. */
  listAt(storage: string, namespace: string | undefined, revision: number): JsonObject[] | undefined;
  /** Changes of one storage after `revision`, or `undefined` when some are compacted away. */
  changesSince(storage: string, revision: number): StoreChange[] | undefined;
  /** Stores a new object under a new resource version and returns it as stored. */
  create(storage: string, key: string, object: JsonObject): JsonObject;
  /** Replaces an object under a new resource version and returns it as stored. */
  update(storage: string, key: string, object: JsonObject): JsonObject;
  /** Removes an object; `last` is its final state; returns it with the deletion's resource version. */
  remove(storage: string, key: string, last: JsonObject): JsonObject;
  /** Listens to one storage's changes (or all with `'*'`); returns the unsubscriber. */
  subscribe(storage: string, listener: ChangeListener): () => void;
  /** Forgets the whole history: older resource versions become expired. */
  compact(): void;
  /** Changes up to this resource version survive a crash (all of them for a memory store). */
  readonly durableRevision: number;
  /** Resolves once changes up to `revision` (default: all so far) are durable. */
  whenDurable(revision?: number): Promise<void>;
  /** Makes everything durable and lets go of files (nothing to do in memory). */
  close(): Promise<void>;
}

/** A store's whole content, as snapshots keep it: the state at `compacted`, then the kept changes. */
export interface SavedState {
  readonly revision: number;
  readonly compacted: number;
  /** `[storage, key, object]` at the `compacted` revision. */
  readonly base: readonly (readonly [string, string, JsonObject])[];
  /** The kept history, oldest first, without `previous` (replay restores it). */
  readonly changes: readonly Omit<StoreChange, 'previous'>[];
}

function withResourceVersion(object: JsonObject, revision: number): JsonObject {
  return { ...object, metadata: { ...metaOf(object), resourceVersion: String(revision) } };
}

function inNamespace(key: string, namespace: string | undefined): boolean {
  return namespace === undefined || key.startsWith(`${namespace}/`);
}

function sortedValues(objects: Map<string, JsonObject>, namespace: string | undefined): JsonObject[] {
  const keys = [...objects.keys()].filter((key) => inNamespace(key, namespace)).sort();
  return keys.map((key) => objects.get(key) as JsonObject);
}

/** The in-memory `ObjectStore`. */
export class MemoryStore implements ObjectStore {
  private readonly storages = new Map<string, Map<string, JsonObject>>();
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private history: ChangeHistory;
  private current = 0;

  constructor(historySize: number) {
    this.history = new ChangeHistory(historySize);
  }

  /** A store with saved content (a snapshot) and later changes (a log) replayed, notifying nobody. */
  static restore(
    historySize: number,
    saved: SavedState | undefined,
    later: readonly (Omit<StoreChange, 'previous'> | { readonly compact: number })[],
  ): MemoryStore {
    const store = new MemoryStore(historySize);
    store.history = new ChangeHistory(historySize, saved?.compacted ?? 0);
    for (const [storage, key, object] of saved?.base ?? []) store.objectsOf(storage).set(key, object);
    store.current = saved?.compacted ?? 0;
    for (const change of [...(saved?.changes ?? []), ...later]) {
      if ('compact' in change) store.history.compact(change.compact);
      else if (change.resourceVersion > store.current) store.replay(change);
    }
    store.current = Math.max(store.current, saved?.revision ?? 0);
    return store;
  }

  /** The content as a snapshot keeps it: the state at the compacted revision, and the kept changes. */
  save(): SavedState {
    const changes = this.history.since(this.history.compactedRevision) ?? [];
    const base = new Map([...this.storages].map(([storage, objects]) => [storage, new Map(objects)]));
    for (const change of [...changes].reverse()) {
      const objects = base.get(change.storage) ?? new Map<string, JsonObject>();
      base.set(change.storage, objects);
      if (change.type === 'ADDED' || !change.previous) objects.delete(change.key);
      else objects.set(change.key, change.previous);
    }
    return {
      revision: this.current,
      compacted: this.history.compactedRevision,
      base: [...base].flatMap(([storage, objects]) =>
        [...objects].map(([key, object]) => [storage, key, object] as const),
      ),
      changes: changes.map(({ previous: _previous, ...change }) => change),
    };
  }

  get durableRevision(): number {
    return this.current;
  }

  whenDurable(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  get revision(): number {
    return this.current;
  }

  get compactedRevision(): number {
    return this.history.compactedRevision;
  }

  get(storage: string, key: string): JsonObject | undefined {
    return this.storages.get(storage)?.get(key);
  }

  list(storage: string, namespace?: string): JsonObject[] {
    return sortedValues(this.storages.get(storage) ?? new Map(), namespace);
  }

  listAt(storage: string, namespace: string | undefined, revision: number): JsonObject[] | undefined {
    const changes = this.history.since(revision);
    if (!changes) return undefined;
    const objects = new Map(this.storages.get(storage) ?? []);
    for (const change of changes.reverse()) {
      if (change.storage !== storage) continue;
      if (change.type === 'ADDED') objects.delete(change.key);
      else if (change.previous) objects.set(change.key, change.previous);
    }
    return sortedValues(objects, namespace);
  }

  changesSince(storage: string, revision: number): StoreChange[] | undefined {
    return this.history.since(revision)?.filter((change) => change.storage === storage);
  }

  create(storage: string, key: string, object: JsonObject): JsonObject {
    return this.commit('ADDED', storage, key, object, undefined);
  }

  update(storage: string, key: string, object: JsonObject): JsonObject {
    return this.commit('MODIFIED', storage, key, object, this.get(storage, key));
  }

  remove(storage: string, key: string, last: JsonObject): JsonObject {
    return this.commit('DELETED', storage, key, last, this.get(storage, key));
  }

  subscribe(storage: string, listener: ChangeListener): () => void {
    const set = this.listeners.get(storage) ?? new Set();
    this.listeners.set(storage, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  compact(): void {
    this.history.compact(this.current);
  }

  private objectsOf(storage: string): Map<string, JsonObject> {
    let objects = this.storages.get(storage);
    if (!objects) {
      objects = new Map();
      this.storages.set(storage, objects);
    }
    return objects;
  }

  /** Applies a saved change again (restoring `previous` from the state at hand), notifying nobody. */
  private replay(change: Omit<StoreChange, 'previous'>): void {
    const objects = this.objectsOf(change.storage);
    const previous = objects.get(change.key);
    if (change.type === 'DELETED') objects.delete(change.key);
    else objects.set(change.key, change.object);
    this.history.push({ ...change, ...(previous ? { previous } : {}) });
    this.current = change.resourceVersion;
  }

  private commit(
    type: ChangeType,
    storage: string,
    key: string,
    object: JsonObject,
    previous: JsonObject | undefined,
  ): JsonObject {
    this.current += 1;
    const stored = withResourceVersion(object, this.current);
    const objects = this.objectsOf(storage);
    if (type === 'DELETED') objects.delete(key);
    else objects.set(key, stored);
    const change: StoreChange = {
      type,
      storage,
      key,
      resourceVersion: this.current,
      object: stored,
      ...(previous ? { previous } : {}),
    };
    this.history.push(change);
    this.notify(storage, change);
    this.notify('*', change);
    return stored;
  }

  private notify(storage: string, change: StoreChange): void {
    for (const listener of this.listeners.get(storage) ?? []) listener(change);
  }
}
