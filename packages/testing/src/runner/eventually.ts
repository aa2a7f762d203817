/**
 * Waiting in tests for something that happens asynchronously — a watch event, a
 * log line, a handler's result — by polling, never by sleeping a fixed time. No
 * test-framework imports: works under any runner.
 */

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** Seconds until giving up; default 10. */
  readonly timeout?: number;
  /** What is awaited, for the failure message. */
  readonly what?: string;
  /** Milliseconds between checks; default 20. */
  readonly interval?: number;
}

/**
 * Resolves with the first truthy value `check` returns (errors it throws count as
 * "not yet"); rejects after the timeout, naming what was awaited and the last error.
 *
 * @example
 * const event = await eventually(() => events.find((e) => e.type === 'DELETED'), { what: 'the deletion' });
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<NonNullable<T>> {
  const timeout = options.timeout ?? 10;
  const deadline = Date.now() + timeout * 1000;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const what = options.what ?? 'the condition';
      const detail = last instanceof Error ? `; the last check failed with: ${last.message}` : '';
      throw new Error(`Timed out after ${timeout} s waiting for ${what}${detail}.`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, options.interval ?? 20));
  }
}
