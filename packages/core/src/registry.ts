/**
 * The registry: all handlers of one operator, in registration order. `on.*` adds
 * to it (rejecting duplicate ids per resource and kind); the reactor reads it: the
 * distinct resource selectors to resolve against discovery, then, per resource, the
 * handlers that match a cause (`forResource(match).changing(cause)` and friends),
 * with Kopf's selection rules, filters and de-duplication. Pure and synchronous.
 */
import type {
  Activity,
  ChangingCause,
  IndexingCause,
  SpawningCause,
  WatchingCause,
  WebhookCause,
} from './causes.js';
import { isDeletionOngoing } from './causes.js';
import type { FieldPath } from './diffs.js';
import { type FilterTarget, matchFilters } from './filters.js';
import {
  type ActivityHandler,
  type ChangingHandler,
  type EventHandler,
  HANDLER_CATEGORIES,
  type Handler,
  type HandlerCategory,
  type HandlerKind,
  type IndexHandler,
  type ResourceHandler,
  type SpawningHandler,
  type WebhookHandler,
} from './handlers.js';
import { type Cause, causeKwargs } from './invoking.js';
import { optionsError } from './options.js';
import type { HandlerId } from './persistence.js';
import { type ResourceSelector, sameSelector, selectorDescription } from './resources.js';

/** Tells whether a selector resolved to the resource at hand (the reactor builds it per resource). */
export type ResourceMatch = (selector: ResourceSelector) => boolean;

/** The handler record type of each kind. */
export type HandlerOfKind<K extends HandlerKind> = Extract<Handler, { readonly kind: K }>;

/**
 * The handlers of one operator. Several registries can live in one process (one per
 * operator); `on.*` use the default one unless given `{ registry }`.
 *
 * @example
 * const registry = new Registry();
 * on.create('kopfexamples', { registry }, createFn);
 * registry.selectors(); // the distinct selectors to resolve
 */
export class Registry {
  readonly #handlers: Handler[] = [];
  readonly #selectors: ResourceSelector[] = [];

  /** All handlers in registration order. */
  get handlers(): readonly Handler[] {
    return [...this.#handlers];
  }

  /**
   * The registry's own instance of an equal selector (added if new), so that equal
   * selectors are one object: the reactor can resolve each once and match by identity.
   */
  internSelector(selector: ResourceSelector): ResourceSelector {
    const known = this.#selectors.find((candidate) => sameSelector(candidate, selector));
    if (known) return known;
    this.#selectors.push(selector);
    return selector;
  }

  /** Whether a handler of the same kind and resource already has this handler's id. */
  has(handler: Handler): boolean {
    return this.#handlers.some((known) => sameSlot(known, handler));
  }

  /**
   * Adds a handler record (as built by `on.*`); returns it.
   *
   * @throws HandlerOptionsError when a handler of the same kind for the same
   * resource already has this id.
   */
  add<H extends Handler>(handler: H): H {
    if (this.has(handler)) {
      const selector = 'selector' in handler && handler.selector ? selectorDescription(handler.selector) : '';
      const where = selector ? ` for ${selector}` : '';
      throw optionsError(
        `on.${handler.kind}(${selector ? `'${selector}'` : ''}) handler '${handler.id}'`,
        `a ${handler.kind} handler with id '${handler.id}' is already registered${where}; ` +
          "give one of them another id: { id: '…' }.",
      );
    }
    if ('selector' in handler && handler.selector) this.internSelector(handler.selector);
    this.#handlers.push(handler);
    return handler;
  }

  /** Removes a handler; returns whether it was there. */
  remove(handler: Handler): boolean {
    const index = this.#handlers.indexOf(handler);
    if (index >= 0) this.#handlers.splice(index, 1);
    return index >= 0;
  }

  /** The handlers of one kind, in registration order. */
  ofKind<K extends HandlerKind>(kind: K): readonly HandlerOfKind<K>[] {
    return this.#handlers.filter((handler): handler is HandlerOfKind<K> => handler.kind === kind);
  }

  /** The handlers of one category (`'changing'`, `'spawning'`, …), in registration order. */
  ofCategory(category: HandlerCategory): readonly Handler[] {
    return this.#handlers.filter((handler) => HANDLER_CATEGORIES[handler.kind] === category);
  }

  /**
   * The distinct selectors in use (optionally only by one category): what the
   * reactor resolves against discovery to know which resources to watch.
   */
  selectors(category?: HandlerCategory): readonly ResourceSelector[] {
    const used = new Set<ResourceSelector>();
    for (const handler of this.#handlers) {
      if (category !== undefined && HANDLER_CATEGORIES[handler.kind] !== category) continue;
      if ('selector' in handler && handler.selector) used.add(handler.selector);
    }
    return this.#selectors.filter((selector) => used.has(selector));
  }

  /** The activity handlers for an activity (`'startup'`, `'authentication'`, …), de-duplicated. */
  activityHandlers(activity: Activity): readonly ActivityHandler[] {
    const found = this.ofCategory('activity') as ActivityHandler[];
    return deduplicated(found.filter((handler) => handler.activity === activity));
  }

  /** A live view of the handlers serving one resource. */
  forResource(match: ResourceMatch): ResourceHandlers {
    return new ResourceHandlers(() => this.#handlers, match);
  }
}

function sameSlot(a: Handler, b: Handler): boolean {
  const selectorA = 'selector' in a ? a.selector : undefined;
  const selectorB = 'selector' in b ? b.selector : undefined;
  const sameResource =
    selectorA === selectorB ||
    (selectorA !== undefined && selectorB !== undefined && sameSelector(selectorA, selectorB));
  return a.kind === b.kind && a.id === b.id && sameResource;
}

/** Kopf's de-duplication: one invocation per (function, id) per cause. */
function deduplicated<H extends Handler>(handlers: readonly H[]): H[] {
  const seen = new Map<unknown, Set<HandlerId>>();
  return handlers.filter((handler) => {
    const ids = seen.get(handler.fn) ?? new Set<HandlerId>();
    seen.set(handler.fn, ids);
    if (ids.has(handler.id)) return false;
    ids.add(handler.id);
    return true;
  });
}

/**
 * The handlers that serve one resource, and Kopf's selection of them per cause. A
 * live view: handlers registered later are seen too.
 */
export class ResourceHandlers {
  readonly #all: () => readonly Handler[];
  readonly #match: ResourceMatch;

  constructor(all: () => readonly Handler[], match: ResourceMatch) {
    this.#all = all;
    this.#match = match;
  }

  /** This resource's handlers of a category (all when not given), in registration order. */
  all(category?: HandlerCategory): readonly ResourceHandler[] {
    return this.#all().filter(
      (handler): handler is ResourceHandler =>
        HANDLER_CATEGORIES[handler.kind] !== 'activity' &&
        (category === undefined || HANDLER_CATEGORIES[handler.kind] === category) &&
        (!('selector' in handler) || handler.selector === undefined || this.#match(handler.selector)),
    );
  }

  /**
   * The changing handlers to run for a cause: matching its reason (field handlers,
   * sub-handlers and resume handlers match any), resume handlers only for initial
   * causes and on deletion only with `deleted: true`, then the filters; de-duplicated.
   */
  changing(cause: ChangingCause, excluded: ReadonlySet<HandlerId> = new Set()): readonly ChangingHandler[] {
    const deleted = isDeletionOngoing(cause.body);
    const found = (this.all('changing') as ChangingHandler[]).filter(
      (handler) =>
        !excluded.has(handler.id) &&
        (handler.reason === undefined || handler.reason === cause.reason) &&
        !(handler.initial && !cause.initial) &&
        !(handler.initial && deleted && !handler.deleted) &&
        matches(handler, cause, changeTarget(cause)),
    );
    return deduplicated(found);
  }

  /** The event handlers for a watch event. */
  watching(cause: WatchingCause): readonly EventHandler[] {
    return this.#simple<EventHandler>('watching', cause);
  }

  /** The daemons and timers that should exist for the object now. */
  spawning(cause: SpawningCause): readonly SpawningHandler[] {
    return this.#simple<SpawningHandler>('spawning', cause);
  }

  /** The index handlers for the object. */
  indexing(cause: IndexingCause): readonly IndexHandler[] {
    return this.#simple<IndexHandler>('indexing', cause);
  }

  /**
   * The admission handlers for a request: of the requested type and webhook (when
   * given), serving the operation and subresource; mutating handlers are skipped for
   * DELETE unless they declare exactly `operations: ['DELETE']`.
   */
  webhooks(cause: WebhookCause): readonly WebhookHandler[] {
    const found = (this.all('webhook') as WebhookHandler[]).filter((handler) => {
      const ops = handler.operations;
      return (
        (cause.reason === undefined || cause.reason === handler.type) &&
        (cause.webhook === undefined || cause.webhook === handler.id) &&
        (ops === undefined || cause.operation === undefined || ops.includes(cause.operation)) &&
        (handler.type !== 'mutating' ||
          cause.operation !== 'DELETE' ||
          (ops?.length === 1 && ops[0] === 'DELETE')) &&
        (handler.subresource === '*' || handler.subresource === cause.subresource) &&
        matches(handler, cause, { body: cause.body })
      );
    });
    return deduplicated(found);
  }

  /**
   * Whether the object needs the finalizer: a non-optional delete handler prematches
   * it (labels, annotations, field values, `when`; not the change checks), or a
   * daemon/timer matches it.
   */
  requiresFinalizer(cause: ChangingCause): boolean {
    const changing = this.all('changing').filter((handler) => handler.requiresFinalizer);
    const spawning = this.all('spawning').filter((handler) => handler.requiresFinalizer);
    return (
      changing.some((handler) => matches(handler, cause, changeTarget(cause), true)) ||
      spawning.some((handler) => matches(handler, cause, { body: cause.body }))
    );
  }

  /**
   * Whether any changing handler could be interested in the object (prematch). When
   * none is, the object is left alone entirely ("stealth mode"): no annotations.
   */
  prematch(cause: ChangingCause): boolean {
    return this.all('changing').some((handler) => matches(handler, cause, changeTarget(cause), true));
  }

  /**
   * The fields named by this resource's changing, event and spawning handlers: they
   * are kept in the essence (diff-base) even outside spec, e.g. `status.phase`.
   */
  extraFields(): readonly FieldPath[] {
    const fields = new Map<string, FieldPath>();
    for (const handler of this.all()) {
      const category = HANDLER_CATEGORIES[handler.kind];
      if (category === 'indexing' || category === 'webhook' || handler.field === undefined) continue;
      fields.set(handler.field.join('\u0000'), handler.field);
    }
    return [...fields.values()];
  }

  #simple<H extends ResourceHandler>(
    category: HandlerCategory,
    cause: Cause & { body: FilterTarget['body'] },
  ): H[] {
    const found = (this.all(category) as H[]).filter((handler) =>
      matches(handler, cause, { body: cause.body }),
    );
    return deduplicated(found);
  }
}

function changeTarget(cause: ChangingCause): FilterTarget {
  return { body: cause.body, change: { old: cause.old, new: cause.new } };
}

function matches(handler: ResourceHandler, cause: Cause, target: FilterTarget, prematch = false): boolean {
  return matchFilters(handler, target, () => causeKwargs(handler, cause), { prematch });
}

let defaultRegistry: Registry | undefined;

/**
 * The registry `on.*` use when not given `{ registry }` (created on first use).
 *
 * @example
 * const handlers = getDefaultRegistry().handlers;
 */
export function getDefaultRegistry(): Registry {
  defaultRegistry ??= new Registry();
  return defaultRegistry;
}

/**
 * Replaces the default registry (e.g. a fresh one per test).
 *
 * @example
 * beforeEach(() => setDefaultRegistry(new Registry()));
 */
export function setDefaultRegistry(registry: Registry): void {
  defaultRegistry = registry;
}
