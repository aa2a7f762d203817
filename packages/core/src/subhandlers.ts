/**
 * Sub-handlers: handlers that a running changing handler declares for itself
 * (`register()`, `subhandler()`) and runs (`execute()`, or implicitly after it
 * returns). Their ids are `<parent>/<child>`; their progress is kept like any
 * handler's. Core holds the declarations in a per-invocation `Subhandlers` object
 * that the reactor creates with a runner — the reactor's code that executes them
 * with retries and progress and throws `HandlerChildrenRetryError` while any is
 * unfinished. The parent is re-invoked until all children are done, so it must
 * declare the same children every time.
 */
import { currentHandlerContext } from './contexts.js';
import { declareHandler, functionName } from './declaring.js';
import { HandlerContextError, HandlerOptionsError } from './errors.js';
import type { ChangingHandler } from './handlers.js';
import type { ChangingKwargs, HandlerFn } from './kwargs.js';
import type { Lifecycle } from './lifecycles.js';
import type { SubhandlerOptions } from './options.js';
import { Registry } from './registry.js';

/** A sub-handler function (it gets the parent's cause as changing kwargs). */
export type SubhandlerFn<Spec = Record<string, unknown>, Status = Record<string, unknown>> = HandlerFn<
  ChangingKwargs<Spec, Status>
>;

/**
 * The reactor's part: runs the given sub-handlers for the parent's cause with the
 * lifecycle (the reactor's default when `undefined`), stores their progress, and
 * throws `HandlerChildrenRetryError` if any is not finished yet.
 */
export type SubhandlerRunner = (
  handlers: readonly ChangingHandler[],
  options: { readonly lifecycle: Lifecycle | undefined },
) => Promise<void>;

/** What `execute()` runs; at most one of `fns`, `handlers`, `registry`. */
export interface ExecuteOptions {
  /** Functions to run as sub-handlers: `{ id: fn }`, or a list (ids from the functions' names). */
  readonly fns?: Readonly<Record<string, SubhandlerFn>> | Iterable<SubhandlerFn>;
  /** Ready handler records. */
  readonly handlers?: Iterable<ChangingHandler>;
  /** All changing handlers of a registry. */
  readonly registry?: Registry;
  /** How to pick among them; the reactor's default lifecycle otherwise. */
  readonly lifecycle?: Lifecycle;
}

/**
 * The sub-handlers of one invocation of a changing handler. The reactor creates one
 * per invocation and passes it in the handler context (`invokeHandler` then runs the
 * declared ones implicitly if the handler did not call `execute()`).
 *
 * @example
 * // in the reactor:
 * const subhandlers = new Subhandlers(handler, (children, { lifecycle }) => runChildren(children, lifecycle));
 * await invokeHandler(handler, cause, invocation, { subhandlers });
 */
export class Subhandlers {
  /** The running parent. */
  readonly parent: ChangingHandler;
  /** The declared sub-handlers (no selectors: they serve the parent's object). */
  readonly registry: Registry = new Registry();
  readonly #runner: SubhandlerRunner;
  #executed = false;

  constructor(parent: ChangingHandler, runner: SubhandlerRunner) {
    this.parent = parent;
    this.#runner = runner;
  }

  /** Whether the declared sub-handlers have been executed already (explicitly or not). */
  get executed(): boolean {
    return this.#executed;
  }

  /** Declares a sub-handler (see {@link register}). */
  register(fn: SubhandlerFn, options: SubhandlerOptions = {}): ChangingHandler {
    const handler = declareHandler('subhandler', fn, options as Readonly<Record<string, unknown>>, {
      where: `register() under '${this.parent.id}'`,
      defaultId: functionName(fn),
      parent: this.parent,
    }) as ChangingHandler;
    return this.registry.add(handler);
  }

  /** Runs sub-handlers (see {@link execute}). */
  async execute(options: ExecuteOptions = {}): Promise<void> {
    const sources = [options.fns, options.handlers, options.registry].filter(
      (source) => source !== undefined,
    );
    if (sources.length > 1) {
      throw new HandlerOptionsError(
        `execute() under '${this.parent.id}': give only one of fns, handlers, registry; got ${sources.length}.`,
      );
    }
    const handlers = this.#handlersFrom(options);
    if (handlers === undefined) return;
    await this.#runner(handlers, { lifecycle: options.lifecycle });
  }

  #handlersFrom(options: ExecuteOptions): readonly ChangingHandler[] | undefined {
    if (options.registry) return options.registry.ofCategory('changing') as ChangingHandler[];
    if (options.handlers) return [...options.handlers];
    if (options.fns) {
      const temporary = new Subhandlers(this.parent, this.#runner);
      const entries =
        Symbol.iterator in options.fns
          ? [...(options.fns as Iterable<SubhandlerFn>)].map((fn) => [undefined, fn] as const)
          : Object.entries(options.fns);
      for (const [id, fn] of entries) temporary.register(fn, id === undefined ? {} : { id });
      return temporary.registry.ofCategory('changing') as ChangingHandler[];
    }
    if (this.#executed) return undefined;
    this.#executed = true;
    return this.registry.ofCategory('changing') as ChangingHandler[];
  }
}

function current(what: string): Subhandlers {
  const subhandlers = currentHandlerContext()?.subhandlers;
  if (subhandlers === undefined) {
    throw new HandlerContextError(
      `${what} works only inside a running on.create/update/delete/resume/field handler (or a sub-handler).`,
    );
  }
  return subhandlers;
}

/**
 * Declares a sub-handler of the running handler (Kopf's `kopf.register`); its id is
 * `<parent>/<id or function name>`.
 *
 * @example
 * on.create('kopfexamples', ({ spec }) => {
 *   for (const item of spec.items as string[]) {
 *     register(async () => { await createItem(item); }, { id: item });
 *   }
 * });
 */
export function register(fn: SubhandlerFn, options: SubhandlerOptions = {}): ChangingHandler {
  return current('register()').register(fn, options);
}

/**
 * The decorator-like form (Kopf's `@kopf.subhandler(...)`): `subhandler({ id })(fn)`.
 *
 * @example
 * subhandler({ id: `task-${task}` })(async ({ logger }) => logger.info(`doing ${task}`));
 */
export function subhandler(options: SubhandlerOptions = {}): (fn: SubhandlerFn) => ChangingHandler {
  const subhandlers = current('subhandler()');
  return (fn) => subhandlers.register(fn, options);
}

/**
 * Runs sub-handlers now, inside the running handler: the declared ones by default,
 * or the given `fns`/`handlers`/`registry`. Returns when all are done; otherwise it
 * throws `HandlerChildrenRetryError` (let it pass) and the parent is re-invoked later.
 *
 * @example
 * on.update('kopfexamples', async () => {
 *   await execute({ fns: { first: stepOne, second: stepTwo } });
 *   // reached only when both steps have succeeded
 * });
 */
export async function execute(options: ExecuteOptions = {}): Promise<void> {
  await current('execute()').execute(options);
}
