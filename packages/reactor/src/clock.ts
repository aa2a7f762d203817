/**
 * Time, injectable. Everything in the reactor that waits or reads the time does it
 * through a `Clock`, so retries, delays, timers and idle timeouts are tested with a
 * fake clock instead of real sleeping.
 */

/** The source of time for the reactor. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds, or early (without rejecting) when `signal`
   * aborts; resolves to `true` if the full time has passed.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/** The real clock: `Date.now()` and timers that never keep the process alive alone. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<boolean>((resolve) => {
      if (signal?.aborted) return resolve(false);
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
