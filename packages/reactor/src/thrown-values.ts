/**
 * Describing what handlers throw. JavaScript lets them throw anything: strings,
 * `undefined`, objects without a prototype, Proxies whose traps throw, Errors whose
 * `message` getter throws. Describing such a value must never throw in turn, or the
 * handler's failure would be lost (never recorded, never retried).
 */

const UNDESCRIBABLE = '<a value that cannot be described>';

/** The error's message for logs and progress records; total: never throws, never `undefined`. */
export function messageOf(error: unknown): string {
  const attempts: (() => string | undefined)[] = [
    () => (error instanceof Error ? error.message || error.name : undefined),
    () => (error instanceof Error ? error.name : undefined),
    () => (typeof error === 'string' ? error : undefined),
    () => JSON.stringify(error),
    () => String(error),
    () => Object.prototype.toString.call(error),
  ];
  for (const attempt of attempts) {
    try {
      const text = attempt();
      if (text !== undefined) return text;
    } catch {
      // the next way of describing it
    }
  }
  return UNDESCRIBABLE;
}

/**
 * What a failure is recorded as: the thrown value itself when the framework can
 * inspect it safely, otherwise its description (so `instanceof` checks, messages
 * and logs downstream cannot throw). `undefined` becomes `'undefined'`, since an
 * outcome without an error means success.
 */
export function recordableThrown(error: unknown): unknown {
  if (error === undefined) return 'undefined';
  try {
    if (error instanceof Error) void `${error.message}${error.stack ?? ''}`;
    return error;
  } catch {
    return messageOf(error);
  }
}
