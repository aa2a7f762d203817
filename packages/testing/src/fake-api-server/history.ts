/**
 * The bounded history of store changes that watches resume from, like etcd's
 * revisions before compaction: a ring buffer ordered by resource version. Once a
 * change falls out (or `compact()` is called), resuming from before it is 410 Expired.
 */
import type { JsonObject } from './objects.js';

/** What happened to one object. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One persisted write, as watches and snapshots see it. */
export interface StoreChange {
  readonly type: ChangeType;
  readonly storage: string;
  readonly key: string;
  readonly resourceVersion: number;
  /** The state after the change; for DELETED, the last state with the deletion's resource version. */
  readonly object: JsonObject;
  /** The state before the change (MODIFIED and DELETED). */
  readonly previous?: JsonObject;
}

/** A ring buffer of the newest `limit` changes. */
export class ChangeHistory {
  private readonly items: (StoreChange | undefined)[];
  private head = 0;
  private size = 0;
  private compacted = 0;

  constructor(
    readonly limit: number,
    compacted = 0,
  ) {
    this.items = new Array(Math.max(1, limit));
    this.compacted = compacted;
  }

  /** Changes at or before this revision are gone; resuming from before it is expired. */
  get compactedRevision(): number {
    return this.compacted;
  }

  push(change: StoreChange): void {
    const capacity = this.items.length;
    if (this.size === capacity) {
      const oldest = this.items[this.head];
      if (oldest) this.compacted = oldest.resourceVersion;
      this.items[this.head] = change;
      this.head = (this.head + 1) % capacity;
    } else {
      this.items[(this.head + this.size) % capacity] = change;
      this.size += 1;
    }
  }

  /** Forgets everything up to `revision`. */
  compact(revision: number): void {
    while (this.size > 0 && (this.at(0)?.resourceVersion ?? 0) <= revision) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.items.length;
      this.size -= 1;
    }
    this.compacted = Math.max(this.compacted, revision);
  }

  /** All kept changes after `revision`, oldest first; `undefined` if some are gone. */
  since(revision: number): StoreChange[] | undefined {
    if (revision < this.compacted) return undefined;
    const result: StoreChange[] = [];
    for (let index = this.firstAfter(revision); index < this.size; index += 1) {
      const change = this.at(index);
      if (change) result.push(change);
    }
    return result;
  }

  private at(index: number): StoreChange | undefined {
    return this.items[(this.head + index) % this.items.length];
  }

  private firstAfter(revision: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.at(middle)?.resourceVersion ?? 0) <= revision) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
