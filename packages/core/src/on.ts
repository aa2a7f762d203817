/**
 * `on`: how operators register handlers, with plain functions or as decorators on
 * class methods. `on.create('kopfexamples', fn)` registers at once and returns the
 * frozen handler record (remove it with `registry.remove(record)`);
 * `on.create('kopfexamples')` without the function returns a standard decorator.
 * Every mistake throws `HandlerOptionsError` at registration.
 */
import { declareHandler, functionName } from './declaring.js';
import { HandlerOptionsError } from './errors.js';
import type { Handler, HandlerKind } from './handlers.js';
import { optionsError, SELECTOR_OPTIONS } from './options.js';
import type {
  OnActivity,
  OnChanging,
  OnEvent,
  OnField,
  OnIndex,
  OnLogin,
  OnSpawning,
  OnWebhook,
} from './registration.js';
import { getDefaultRegistry, Registry } from './registry.js';
import { parseSelector, type ResourceSelector, selectorDescription } from './resources.js';
import { register, subhandler } from './subhandlers.js';

type Options = Record<string, unknown>;

interface Arguments {
  readonly selectorArgs: readonly unknown[];
  readonly options: Options;
  readonly fn: unknown;
}

const ACTIVITY_KINDS: readonly HandlerKind[] = ['startup', 'cleanup', 'login', 'probe'];

function isPlainObject(value: unknown): value is Options {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits `(…selector, options?, fn?)`; a resource kind keeps at least one selector part. */
function splitArguments(kind: HandlerKind, args: readonly unknown[]): Arguments {
  const list = [...args];
  const minimum = ACTIVITY_KINDS.includes(kind) ? 0 : 1;
  const fn = list.length > minimum && typeof list.at(-1) === 'function' ? list.pop() : undefined;
  const last = list.at(-1);
  const options =
    list.length > minimum && (last === undefined || isPlainObject(last)) ? list.pop() : undefined;
  if (minimum === 0 && list.length > 0) {
    throw new HandlerOptionsError(
      `on.${kind}(): activities take no resource; call on.${kind}(fn) or on.${kind}({ id, … }, fn).`,
    );
  }
  const [only] = list;
  if (fn === undefined && list.length === 1 && typeof only === 'function' && isAsyncFunction(only)) {
    throw new HandlerOptionsError(
      `on.${kind}(): the resource is missing; write on.${kind}('kopfexamples', fn) (an async function ` +
        'cannot be a resource predicate).',
    );
  }
  return { selectorArgs: list, options: (options as Options | undefined) ?? {}, fn };
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && fn.constructor.name === 'AsyncFunction';
}

function registryOf(kind: HandlerKind, options: Options): Registry {
  const registry = options.registry ?? getDefaultRegistry();
  if (!(registry instanceof Registry)) {
    throw new HandlerOptionsError(`on.${kind}(): option 'registry' must be a Registry (new Registry()).`);
  }
  return registry;
}

function selectorOf(kind: HandlerKind, args: Arguments, registry: Registry): ResourceSelector | undefined {
  if (ACTIVITY_KINDS.includes(kind)) return undefined;
  const keywords = Object.fromEntries(
    Object.entries(args.options).filter(([key]) => SELECTOR_OPTIONS.includes(key)),
  );
  try {
    return registry.internSelector(parseSelector(args.selectorArgs, keywords));
  } catch (error) {
    throw optionsError(`on.${kind}()`, (error as Error).message, error);
  }
}

/**
 * Builds the record and (when `add`) adds it to its registry. Anonymous functions
 * without an `id` get `<kind>_fn`, `<kind>_fn_2`, … — the first id free for this
 * resource and kind, in registration order.
 */
function registerNow(
  kind: HandlerKind,
  args: Arguments,
  fn: unknown,
  defaultId: string | undefined,
  add: boolean,
): Handler {
  const registry = registryOf(kind, args.options);
  const selector = selectorOf(kind, args, registry);
  const where = `on.${kind}(${selector ? `'${selectorDescription(selector)}'` : ''})`;
  const context = { where, ...(selector ? { selector } : {}) };
  const name = defaultId ?? functionName(fn);
  if (name !== undefined || args.options.id !== undefined) {
    const handler = declareHandler(kind, fn, args.options, { ...context, defaultId: name });
    return add ? registry.add(handler) : handler;
  }
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? `${kind}_fn` : `${kind}_fn_${n}`;
    const handler = declareHandler(kind, fn, args.options, { ...context, defaultId: candidate });
    if (!registry.has(handler)) return add ? registry.add(handler) : handler;
  }
}

interface MethodContext {
  readonly kind?: string;
  readonly name?: string | symbol;
  addInitializer?(initializer: (this: unknown) => void): void;
}

function decorator(kind: HandlerKind, args: Arguments): (method: unknown, context: MethodContext) => void {
  registerNow(kind, args, () => undefined, '<method>', false); // selector and options are checked now
  return (method, context) => {
    if (context?.kind !== 'method' || typeof context.addInitializer !== 'function') {
      throw new HandlerOptionsError(
        `@on.${kind}(…) decorates class methods only, with standard decorators (TypeScript 5+ ` +
          'without "experimentalDecorators"); for functions, pass the function: on.' +
          `${kind}(…, fn).`,
      );
    }
    const name = String(context.name).replace(/^#/, '');
    registerNow(kind, args, method, name, false); // validate at class definition already
    context.addInitializer(function (this: unknown) {
      registerNow(kind, args, (method as (...a: unknown[]) => unknown).bind(this), name, true);
    });
  };
}

function registrar(kind: HandlerKind): (...args: unknown[]) => unknown {
  return (...args) => {
    const parsed = splitArguments(kind, args);
    return parsed.fn === undefined
      ? decorator(kind, parsed)
      : registerNow(kind, parsed, parsed.fn, undefined, true);
  };
}

/** The registration functions, as `on.*` (see {@link on}). */
export interface On {
  readonly create: OnChanging<'create'>;
  readonly update: OnChanging<'update'>;
  readonly delete: OnChanging<'delete'>;
  readonly resume: OnChanging<'resume'>;
  readonly field: OnField;
  readonly event: OnEvent;
  readonly daemon: OnSpawning<'daemon'>;
  readonly timer: OnSpawning<'timer'>;
  readonly index: OnIndex;
  readonly startup: OnActivity;
  readonly cleanup: OnActivity;
  readonly login: OnLogin;
  readonly probe: OnActivity;
  readonly validate: OnWebhook;
  readonly mutate: OnWebhook;
  /** Declares a sub-handler inside a running changing handler (decorator form; see {@link subhandler}). */
  readonly subhandler: typeof subhandler;
  /** Declares a sub-handler inside a running changing handler (function form; see {@link register}). */
  readonly register: typeof register;
}

/**
 * Registers handlers. Resource kinds take a selector (`'kopfexamples'`,
 * `'kopf.dev', 'v1', 'kopfexamples'`, `{ group, plural }`, `EVERYTHING`, a predicate),
 * then options, then the function; without the function they return a decorator.
 *
 * @example
 * on.create('kopfexamples', async ({ spec, logger }) => {
 *   logger.info(`And here we are! Creating: ${JSON.stringify(spec)}`);
 *   return { message: 'hello world' }; // → status.create_fn
 * });
 * on.field('kopfexamples', { field: 'spec.field' }, ({ old, new: fresh, logger }) => {
 *   logger.info(`FIELD CHANGED: ${old} -> ${fresh}`);
 * });
 *
 * class Operator {
 *   @on.timer('kopfexamples', { interval: 10 })
 *   async ping({ patch }: TimerKwargs) { patch.status.pinged = new Date().toISOString(); }
 * }
 * new Operator(); // registers its methods, bound to this instance
 */
export const on: On = Object.freeze({
  create: registrar('create') as OnChanging<'create'>,
  update: registrar('update') as OnChanging<'update'>,
  delete: registrar('delete') as OnChanging<'delete'>,
  resume: registrar('resume') as OnChanging<'resume'>,
  field: registrar('field') as OnField,
  event: registrar('event') as OnEvent,
  daemon: registrar('daemon') as OnSpawning<'daemon'>,
  timer: registrar('timer') as OnSpawning<'timer'>,
  index: registrar('index') as OnIndex,
  startup: registrar('startup') as OnActivity,
  cleanup: registrar('cleanup') as OnActivity,
  login: registrar('login') as OnLogin,
  probe: registrar('probe') as OnActivity,
  validate: registrar('validate') as OnWebhook,
  mutate: registrar('mutate') as OnWebhook,
  subhandler,
  register,
});

/** Kopf's top-level alias of {@link On.daemon}: `daemon('kopfexamples', fn)`. */
export const daemon: OnSpawning<'daemon'> = on.daemon;

/** Kopf's top-level alias of {@link On.timer}: `timer('kopfexamples', { interval: 10 }, fn)`. */
export const timer: OnSpawning<'timer'> = on.timer;

/** Kopf's top-level alias of {@link On.index}: `index('pods', fn)`. */
export const index: OnIndex = on.index;
