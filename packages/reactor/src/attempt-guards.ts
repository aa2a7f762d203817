/**
 * What one attempt of a handler must not do: outlive what is left of its
 * `timeout` (a promise that never settles would hold its object forever), or
 * return a result that JSON cannot hold (it would break the whole cycle's patch).
 */
import { type Handler, HandlerTimeoutError, type Logger, PermanentError } from '@kopf/core';
import type { Clock } from './clock.js';
import { messageOf } from './thrown-values.js';

/**
 * Awaits an attempt, but no longer than what is left of the handler's `timeout`:
 * a handler that never settles must not hold its object forever. The attempt
 * cannot be cancelled (a promise has no such thing); it is left to finish in the
 * background, its outcome ignored. Daemons are exempt: running long is their job,
 * and `stopped` ends them.
 */
export async function withinTimeout<T>(
  call: Promise<T>,
  handler: Handler,
  runtime: number,
  { title, logger, clock }: { title: string; logger: Logger; clock: Clock },
): Promise<T> {
  if (handler.timeout === undefined || handler.kind === 'daemon') return call;
  const limit = handler.timeout;
  const settled = new AbortController();
  const expiry = clock.sleep(Math.max(0, limit - runtime) * 1000, settled.signal).then((expired) => {
    if (!expired) return;
    call.then(
      () => logger.debug(`${title} has finished in the background after its timeout; the result is ignored.`),
      () => logger.debug(`${title} has failed in the background after its timeout; the error is ignored.`),
    );
    throw new HandlerTimeoutError(`${title} has timed out after ${formatSeconds(limit)}.`);
  });
  try {
    return await Promise.race([call, expiry as Promise<never>]);
  } finally {
    settled.abort();
  }
}

/**
 * A result goes into `status.<id>` as JSON. One that JSON cannot hold (a BigInt,
 * a cycle), or one bigger than an object may be (etcd keeps objects under about
 * 1.5 MiB), would break the whole cycle's patch, losing the other handlers' work;
 * so the handler fails instead, for good: it would return the same again.
 */
export function checkStorable(result: unknown): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(result);
  } catch (error) {
    throw new PermanentError(
      `it returned a result that cannot be stored as JSON (${messageOf(error)}); ` +
        'return plain objects, arrays, strings, numbers, booleans or null.',
    );
  }
  const size = text === undefined ? 0 : Buffer.byteLength(text);
  if (size > MAX_RESULT_BYTES) {
    throw new PermanentError(
      `it returned a result too large to store in the object (${(size / 1024 / 1024).toFixed(1)} MiB; ` +
        'keep results under 1 MiB, as objects are limited to about 1.5 MiB): put big data elsewhere (a ConfigMap, a Secret, a database).',
    );
  }
}

/** The largest result stored in `status.<id>`, leaving room for the rest of the object. */
const MAX_RESULT_BYTES = 1024 * 1024;

/** Seconds as Kopf prints them: "1.5 seconds". */
export function formatSeconds(seconds: number): string {
  return `${Math.round(seconds * 1000) / 1000} seconds`;
}
