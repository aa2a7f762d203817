/**
 * On/off switches combined into one operator-wide state (Kopf's `ToggleSet`).
 * Several parties may each hold the operator in a state: every peering namespace
 * with conflicting peers (and a missing mandatory peering object) pauses the
 * operator; every indexed resource still listing, and every object of it not yet
 * indexed, keeps handlers waiting. The set is "on" while any of its toggles is on;
 * waiters and listeners learn when the combined state flips.
 */

/** One party's switch in a {@link ToggleSet}. */
export class Toggle {
  readonly name: string;
  #on: boolean;
  readonly #changed: () => void;

  /** Made by {@link ToggleSet.make}. */
  constructor(name: string, on: boolean, changed: () => void) {
    this.name = name;
    this.#on = on;
    this.#changed = changed;
  }

  get isOn(): boolean {
    return this.#on;
  }

  /** Switches this toggle; the set re-evaluates its combined state. */
  turnTo(on: boolean): void {
    if (this.#on === on) return;
    this.#on = on;
    this.#changed();
  }
}

type Listener = (on: boolean) => void;

/**
 * Toggles combined with "any": the set is on while at least one toggle is on.
 *
 * @example
 * const paused = new ToggleSet();
 * const conflicts = paused.make('peering@default', false);
 * paused.onChange((on) => console.log(on ? 'paused' : 'resumed'));
 * conflicts.turnTo(true); // logs "paused"
 */
export class ToggleSet {
  readonly #toggles = new Set<Toggle>();
  readonly #listeners = new Set<Listener>();
  #last = false;

  /** Whether any toggle is on. */
  get isOn(): boolean {
    for (const toggle of this.#toggles) if (toggle.isOn) return true;
    return false;
  }

  /** The names of the toggles that are on (for logs and health reports). */
  get reasons(): string[] {
    return [...this.#toggles].filter((toggle) => toggle.isOn).map((toggle) => toggle.name);
  }

  /** Adds a toggle in the given state. */
  make(name: string, on = true): Toggle {
    const toggle = new Toggle(name, on, () => this.#check());
    this.#toggles.add(toggle);
    this.#check();
    return toggle;
  }

  /** Removes a toggle (as if it were turned off for good). */
  drop(toggle: Toggle): void {
    if (this.#toggles.delete(toggle)) this.#check();
  }

  /** Calls `listener` whenever the combined state flips; returns the unsubscriber. */
  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves once the combined state is `on` (at once if it already is), or when
   * `signal` aborts; resolves to whether the state was reached.
   */
  waitFor(on: boolean, signal?: AbortSignal): Promise<boolean> {
    if (this.isOn === on) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (reached: boolean): void => {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        resolve(reached);
      };
      const onAbort = (): void => finish(false);
      const unsubscribe = this.onChange((state) => {
        if (state === on) finish(true);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #check(): void {
    const now = this.isOn;
    if (now === this.#last) return;
    this.#last = now;
    for (const listener of [...this.#listeners]) listener(now);
  }
}
