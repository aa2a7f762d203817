/**
 * The reactor's implementation of core's `DaemonStopped`: the `stopped` kwarg of
 * daemons and timers. An AbortController at heart, so the signal can be handed to
 * `fetch` and any abortable API, plus Kopf's record of how the stopping escalated
 * (signalled, cancelled, abandoned) and an interruptible `wait()` on the reactor's
 * clock, so daemons are tested with a fake clock too.
 */
import type { DaemonStopped, DaemonStoppingReason } from '@kopf/core';
import type { Clock } from './clock.js';

/**
 * A stop flag: set once with the first reason (why), then only records how the
 * stopping escalated (the later reasons).
 *
 * @example
 * const stopper = new DaemonStopper(systemClock);
 * stopper.set('resource-deleted');
 * stopper.aborted; // true; stopper.reason === 'resource-deleted'
 */
export class DaemonStopper implements DaemonStopped {
  readonly #controller = new AbortController();
  readonly #clock: Clock;
  readonly #reasons = new Set<DaemonStoppingReason>();
  #since: number | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The first reason: why the daemon is stopping. */
  get reason(): DaemonStoppingReason | undefined {
    return this.#reasons.values().next().value;
  }

  /** When stopping was first requested (ms since the epoch, on the stopper's clock). */
  get since(): number | undefined {
    return this.#since;
  }

  /** Whether this reason has been recorded. */
  has(reason: DaemonStoppingReason): boolean {
    return this.#reasons.has(reason);
  }

  /** Records a reason; the first one aborts the signal. */
  set(reason: DaemonStoppingReason): void {
    if (this.#reasons.has(reason)) return;
    this.#reasons.add(reason);
    if (this.#since === undefined) {
      this.#since = this.#clock.now();
      this.#controller.abort(reason);
    }
  }

  async wait(seconds?: number): Promise<boolean> {
    if (this.aborted) return true;
    if (seconds === undefined) {
      await new Promise<void>((resolve) =>
        this.#controller.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      return true;
    }
    await this.#clock.sleep(seconds * 1000, this.#controller.signal);
    return this.aborted;
  }
}
