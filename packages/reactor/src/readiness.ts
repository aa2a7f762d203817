/**
 * Kopf's operator-wide "indexed" state: no resource handler runs until every
 * resource with index handlers has been listed and every object of those initial
 * listings has been indexed, so indexes are complete before they are first read.
 * Each watcher of an indexed resource holds one toggle in the operator's set until
 * its first listing is fully indexed; processing waits for the set to turn off.
 */
import type { Toggle, ToggleSet } from './toggles.js';

/** What a watcher reports about its first listing. */
export interface ListingTracker {
  /** An object of the first listing was queued. */
  listed(key: string): void;
  /** The first listing is complete (all its objects are queued). */
  synced(): void;
}

/** One watcher's hold on the operator's "indexed" state. */
export class ListingReadiness implements ListingTracker {
  readonly #toggles: ToggleSet;
  readonly #toggle: Toggle;
  readonly #pending = new Set<string>();
  #synced = false;

  /** Holds the set on (as `name`) until the first listing is indexed or `close()` is called. */
  constructor(toggles: ToggleSet, name: string) {
    this.#toggles = toggles;
    this.#toggle = toggles.make(name, true);
  }

  listed(key: string): void {
    if (!this.#synced) this.#pending.add(key);
  }

  synced(): void {
    this.#synced = true;
    this.#check();
  }

  /** The object has been indexed (or skipped): it no longer holds the state. */
  indexed(key: string): void {
    if (this.#pending.delete(key)) this.#check();
  }

  /** The watcher exits: its hold is dropped, complete or not. */
  close(): void {
    this.#toggles.drop(this.#toggle);
  }

  #check(): void {
    if (this.#synced && this.#pending.size === 0) this.#toggle.turnTo(false);
  }
}
