/**
 * A resettable wake-up signal. A worker sleeping on a delay (a retry, the
 * consistency wait) must wake as soon as new events for its object arrive; the
 * queue "presses" it, and the worker releases the pressure once it has taken the
 * last queued event. AbortSignals cannot be reset, so a fresh one is made per cycle.
 */

const PRESSED = Object.freeze({ reason: 'newer events are queued' });

/** "Hurry up: new events are queued." */
export class Pressure {
  #controller = new AbortController();

  /** Aborted while pressure is on; pass it to `Clock.sleep` to be woken. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get isOn(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Wakes every sleeper of the current cycle. */
  set(): void {
    // Only once per cycle, with a shared reason: abort() builds a DOMException per call
    // otherwise (measured: half a second per 10,000 queued events).
    if (!this.#controller.signal.aborted) this.#controller.abort(PRESSED);
  }

  /** Lets the next sleeps run in full (until the next `set`). */
  clear(): void {
    if (this.#controller.signal.aborted) this.#controller = new AbortController();
  }
}
