/**
 * Delays between attempts: Kopf's fixed request backoffs (1, 1, 2, 3, 5, 8, 13, 21 s)
 * with `Retry-After` as a floor, exponential backoff with jitter for watch errors,
 * and an abortable sleep. The computations are pure (randomness is injected), so
 * they are tested without waiting.
 */

/** Kopf's `networking.error_backoffs`, in seconds: 8 retries, 9 attempts in total. */
export const DEFAULT_ERROR_BACKOFFS: readonly number[] = [1, 1, 2, 3, 5, 8, 13, 21];

/**
 * The delay (seconds) before retry number `retry` (0-based) of a request, or
 * `undefined` when the backoffs are exhausted. A server's `Retry-After` is a floor;
 * with `enforceRetryAfter` it replaces our own delay entirely.
 */
export function requestRetryDelay(
  backoffs: readonly number[],
  retry: number,
  retryAfter?: number,
  enforceRetryAfter = false,
): number | undefined {
  const own = backoffs[retry];
  if (own === undefined) return undefined;
  if (retryAfter === undefined) return own;
  return enforceRetryAfter ? retryAfter : Math.max(own, retryAfter);
}

/** How a watch backs off after consecutive errors (seconds). */
export interface ExponentialBackoff {
  /** The first delay; default 1 s. */
  readonly initial?: number;
  /** The cap; default 60 s. */
  readonly max?: number;
  /** The growth per consecutive error; default 2. */
  readonly factor?: number;
}

/**
 * The delay (seconds) after the `errors`-th consecutive error (1-based): exponential,
 * capped, with "equal jitter" (between half and all of the step) so that many
 * watchers failing at once do not come back at once. `Retry-After` is a floor.
 */
export function exponentialDelay(
  errors: number,
  backoff: ExponentialBackoff = {},
  retryAfter?: number,
  random: () => number = Math.random,
): number {
  const { initial = 1, max = 60, factor = 2 } = backoff;
  const step = Math.min(max, initial * factor ** Math.max(0, errors - 1));
  const jittered = step / 2 + (random() * step) / 2;
  return Math.max(jittered, retryAfter ?? 0);
}

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date. Returns seconds
 * (never negative), or `undefined` when absent or unparseable.
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * Sleeps for `seconds`, or rejects with the signal's reason as soon as `signal`
 * aborts. A zero or negative delay still yields to the event loop once.
 */
export function sleep(seconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, seconds * 1000),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
