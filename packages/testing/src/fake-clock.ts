/**
 * A clock for tests: time stands still until the test moves it. Sleeps registered
 * through it resolve in time order as `advance()` passes their deadlines, with the
 * pending promise chains run in between, so retry delays, idle timeouts and timers
 * are tested in microseconds of real time and without flakiness.
 */
import type { Clock } from '@kopf/reactor';

interface Sleeper {
  readonly at: number;
  readonly resolve: (full: boolean) => void;
}

/** Lets queued promise callbacks and immediate tasks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A manually driven {@link Clock}.
 *
 * @example
 * const clock = new FakeClock();
 * const slept = clock.sleep(60_000);
 * await clock.advance(60_000); // resolves `slept` with true
 */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];

  constructor(start: number = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (signal?.aborted) return resolve(false);
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms),
        resolve: (full) => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          signal?.removeEventListener('abort', onAbort);
          resolve(full);
        },
      };
      const onAbort = (): void => sleeper.resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  /** How many sleeps are pending now. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /**
   * Moves time forward by `ms`, waking each sleeper at its deadline in order and
   * letting the woken code run (and sleep again) before time moves on.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at > end) break;
      this.#now = Math.max(this.#now, next.at);
      next.resolve(true);
      await settle();
    }
    this.#now = end;
    await settle();
  }

  #earliest(): Sleeper | undefined {
    let earliest: Sleeper | undefined;
    for (const sleeper of this.#sleepers) if (!earliest || sleeper.at < earliest.at) earliest = sleeper;
    return earliest;
  }
}
