/**
 * Lifecycles: which of the handlers that are due run in this processing cycle, and
 * in which order. Pure functions over the handlers (in registration order) and their
 * states. `asap` is the default: one handler per cycle, the one with the fewest
 * retries first (ties keep registration order), so a failing handler does not block
 * the others. Event handlers, probes and admission always use `allAtOnce`.
 */
import type { HandlerId } from './persistence.js';

/** What a lifecycle may know about each handler's progress. */
export interface LifecycleState {
  /** The recorded state of a handler (its retries so far), or `undefined` if it has not run yet. */
  get(id: HandlerId): { readonly retries?: number | null } | undefined;
}

/** What a lifecycle gets besides the handlers. */
export interface LifecycleContext {
  /** The handlers' progress (a `Map` of records will do). */
  readonly state: LifecycleState;
  /** A source of randomness in [0, 1) for `randomized`/`shuffled`; `Math.random` by default. */
  readonly random?: () => number;
  /** The cause's kwargs, for custom lifecycles that decide by the object. */
  readonly kwargs?: Readonly<Record<string, unknown>>;
}

/** A lifecycle: picks the handlers to run now from those that are due, in order. */
export type Lifecycle = <H extends { readonly id: HandlerId }>(
  handlers: readonly H[],
  context: LifecycleContext,
) => readonly H[];

/**
 * One handler per cycle: the fewest retries first, ties in registration order
 * (Kopf's default, `kopf.lifecycles.asap`).
 */
export const asap: Lifecycle = (handlers, { state }) => {
  const retries = (id: HandlerId): number => state.get(id)?.retries ?? 0;
  const first = handlers.reduce<(typeof handlers)[number] | undefined>(
    (best, handler) => (best === undefined || retries(handler.id) < retries(best.id) ? handler : best),
    undefined,
  );
  return first === undefined ? [] : [first];
};

/** One handler per cycle, the first due one in registration order. */
export const oneByOne: Lifecycle = (handlers) => handlers.slice(0, 1);

/** All due handlers in one cycle, in registration order. */
export const allAtOnce: Lifecycle = (handlers) => [...handlers];

/** One random due handler per cycle. */
export const randomized: Lifecycle = (handlers, { random = Math.random }) => {
  const picked = handlers[Math.floor(random() * handlers.length)];
  return picked === undefined ? [] : [picked];
};

/** All due handlers in one cycle, in random order. */
export const shuffled: Lifecycle = (handlers, { random = Math.random }) => {
  const result = [...handlers];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as (typeof result)[number], result[i] as (typeof result)[number]];
  }
  return result;
};

/** Kopf's names for the lifecycles (`lifecycles.one_by_one` → `lifecycles.oneByOne`). */
export const lifecycles: {
  readonly asap: Lifecycle;
  readonly oneByOne: Lifecycle;
  readonly allAtOnce: Lifecycle;
  readonly randomized: Lifecycle;
  readonly shuffled: Lifecycle;
} = Object.freeze({ asap, oneByOne, allAtOnce, randomized, shuffled });

let defaultLifecycle: Lifecycle = asap;

/** The lifecycle used when the reactor is given none (`asap` unless changed). */
export function getDefaultLifecycle(): Lifecycle {
  return defaultLifecycle;
}

/**
 * Changes the default lifecycle for this process; `undefined` restores `asap`.
 *
 * @example
 * setDefaultLifecycle(lifecycles.allAtOnce);
 */
export function setDefaultLifecycle(lifecycle: Lifecycle | undefined): void {
  defaultLifecycle = lifecycle ?? asap;
}
