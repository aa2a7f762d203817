/**
 * In-memory things handlers share: the `memo` (operator-wide in activities, a
 * per-object shallow copy in resource handlers) and the read-only views of indexes
 * that `on.index` handlers fill. The reactor owns the values; core declares their
 * shapes, so operators can type them by declaration merging.
 */

/**
 * Arbitrary values an operator keeps in memory. Extend it by declaration merging to
 * type your fields everywhere at once:
 *
 * @example
 * declare module '@kopf/core' {
 *   interface Memo { task?: AbortController; counter?: number }
 * }
 * on.resume('kopfexamples', ({ memo }) => { memo.counter = (memo.counter ?? 0) + 1; });
 */
export interface Memo {
  [key: string]: unknown;
}

/**
 * A shallow copy of a memo that keeps its prototype (so a memo class keeps its
 * methods): what each object gets from the operator-wide memo, as in Kopf.
 *
 * @example
 * const perObject = copyMemo(operatorMemo);
 */
export function copyMemo<M extends object>(memo: M): M {
  return Object.assign(Object.create(Object.getPrototypeOf(memo)) as M, memo);
}

/**
 * A key of an index. Arrays are composite keys and compare by value
 * (`['default', 'pod-1']`), as Kopf's tuples do.
 */
export type IndexKey = string | number | boolean | null | readonly (string | number | boolean | null)[];

/**
 * All values indexed under one key, from all objects; never empty (a key with no
 * values is absent from the index). Order is not guaranteed; duplicates are kept.
 */
export interface Store<V = unknown> extends Iterable<V> {
  readonly size: number;
}

/**
 * One index (named after its `on.index` handler's id): a read-only map of keys to
 * {@link Store}s. The reactor keeps it in sync with the watch stream.
 *
 * @example
 * on.timer('kopfexamples', { interval: 10 }, ({ indexes, name }) => {
 *   for (const pod of indexes.podsByParent?.get(name ?? '') ?? []) console.log(pod);
 * });
 */
export interface Index<V = unknown, K extends IndexKey = IndexKey> extends Iterable<[K, Store<V>]> {
  /** The values stored under this key, or `undefined` when no object contributed to it. */
  get(key: K): Store<V> | undefined;
  /** Whether any object contributed a value under this key. */
  has(key: K): boolean;
  /** Every key with at least one value. */
  keys(): IterableIterator<K>;
  readonly size: number;
}

/**
 * Every index by its handler id, as the `indexes` kwarg. Declare yours by
 * declaration merging to get typed access:
 *
 * @example
 * declare module '@kopf/core' {
 *   interface Indexes { podsByParent: Index<string> }
 * }
 */
export interface Indexes {
  readonly [id: string]: Index | undefined;
}
