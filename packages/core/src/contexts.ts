/**
 * The handler context: what the toolkit functions (`adopt()`, `info()`,
 * `register()`, `execute()`, …) know about the handler that is running, without
 * being passed it — the object being handled, the event sink, the settings, the
 * sub-handlers. It lives in an AsyncLocalStorage, so it follows the handler through
 * every `await`. The reactor sets it; nested contexts inherit the outer fields.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Body } from './bodies.js';
import type { ApiClient } from './clients.js';
import type { EventSink } from './events.js';
import type { Handler } from './handlers.js';
import type { OperatorSettings } from './settings.js';
import type { Subhandlers } from './subhandlers.js';

/** What the reactor tells the toolkit about the running handler (every field optional). */
export interface HandlerContext {
  /** The running handler. */
  readonly handler?: Handler;
  /** The object being handled: the default owner of `adopt()` and target of events. */
  readonly body?: Body;
  /** Where `event()`, `info()`, `warn()`, `exception()` post. */
  readonly eventSink?: EventSink;
  /** The operator's settings (`posting.enabled`, `posting.level` are honoured by events). */
  readonly settings?: OperatorSettings;
  /** The running changing handler's sub-handlers (for `register()`, `subhandler()`, `execute()`). */
  readonly subhandlers?: Subhandlers;
  /** The operator's API client (the `client` kwarg of invoked handlers). */
  readonly client?: ApiClient;
}

const storage = new AsyncLocalStorage<HandlerContext>();

/**
 * Runs `fn` with `context` merged over the current one (fields not given are
 * inherited), and returns what `fn` returns. The context follows all async work
 * started inside.
 *
 * @example
 * // the reactor, once per operator and once per handler invocation:
 * await runInHandlerContext({ eventSink, settings }, () => runOperator());
 * await runInHandlerContext({ handler, body }, () => handler.fn(kwargs));
 */
export function runInHandlerContext<T>(context: HandlerContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** The current handler context, or `undefined` outside of any. */
export function currentHandlerContext(): HandlerContext | undefined {
  return storage.getStore();
}
