/**
 * Error throttling per object. When processing an object fails for a reason that
 * is not a handler's (the API is down, the framework hit a bug), the object is
 * left alone for a growing delay (Kopf's 1, 1, 2, 3, 5, 8 … 610 s), so that one
 * broken object cannot flood the API or the logs. New events cut the sleep short,
 * but are only looked at once the delay has passed: the latest state is processed
 * then, so nothing is lost, only postponed.
 */
import type { Clock } from './clock.js';

/** Where throttling reports its decisions. */
export interface ThrottlingLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface ThrottleOptions {
  readonly clock: Clock;
  /** Seconds of each consecutive throttling; the last one repeats. */
  readonly delays: readonly number[];
  readonly logger: ThrottlingLogger;
  /** Aborted when newer events arrive: sleeps end early. */
  readonly wakeup?: AbortSignal;
}

/** The throttling state of one object (kept as long as the object is remembered). */
export class Throttler {
  #nextDelay = 0;
  #activeUntil: number | undefined;

  /** Whether the object is being throttled now. */
  get active(): boolean {
    return this.#activeUntil !== undefined;
  }

  /**
   * Runs `work` unless throttling is active and not over yet. If `work` throws,
   * throttling starts (or continues with the next delay) and the error is logged,
   * not rethrown. Resolves to whether `work` ran and succeeded.
   */
  async run(work: () => Promise<void>, options: ThrottleOptions): Promise<boolean> {
    if (this.#activeUntil !== undefined && !(await this.#sleep(options))) return false;
    try {
      await work();
      this.#nextDelay = 0;
      return true;
    } catch (error) {
      const delay = options.delays[Math.min(this.#nextDelay, options.delays.length - 1)] ?? 0;
      this.#nextDelay += 1;
      this.#activeUntil = options.clock.now() + delay * 1000;
      options.logger.error(
        `Throttling for ${delay} seconds due to an unexpected error: ${describe(error)}`,
        error,
      );
      await this.#sleep(options);
      return false;
    }
  }

  /** Sleeps out the throttling; resolves true if it is over. */
  async #sleep({ clock, wakeup, logger }: ThrottleOptions): Promise<boolean> {
    const remaining = (this.#activeUntil ?? 0) - clock.now();
    const full = remaining <= 0 || (await clock.sleep(remaining, wakeup));
    if (!full) return false;
    this.#activeUntil = undefined;
    logger.info('Throttling is over. Switching back to normal operations.');
    return true;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
