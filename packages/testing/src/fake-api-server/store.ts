/**
 * The object store: every object of every resource, one global monotonically
 * increasing resource version (etcd's revision), the bounded change history, and
 * synchronous change notifications for watches and controllers.
 *
 * `ObjectStore` is the seam for persistence (issue 4): the server only talks to this
 * interface; `MemoryStore` keeps everything in memory. Objects handed in and out are
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
  private readonly history: ChangeHistory;
  private current = 0;

  constructor(historySize: number) {
    this.history = new ChangeHistory(historySize);
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

  private commit(
    type: ChangeType,
    storage: string,
    key: string,
    object: JsonObject,
    previous: JsonObject | undefined,
  ): JsonObject {
    this.current += 1;
    const stored = withResourceVersion(object, this.current);
    const objects = this.storages.get(storage) ?? new Map<string, JsonObject>();
    this.storages.set(storage, objects);
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
