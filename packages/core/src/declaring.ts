/**
 * Turning a declaration (kind, function, options) into a frozen handler record:
 * validation of the options, the handler id (explicit, else the function's name,
 * with the `/<field>` suffix and the `<parent>/` prefix where Kopf adds them),
 * Kopf's per-kind defaults, and the derived `requiresFinalizer`. Used by `on.*` and
 * by sub-handler registration; both add the record to a registry afterwards.
 */
import type { WebhookOperation } from './causes.js';
import { type FieldPath, type FieldSpec, parseField } from './diffs.js';
import type { ErrorsMode } from './errors.js';
import type { HandlerFilters } from './filters.js';
import {
  type ActivityHandler,
  type ActivityKind,
  type ChangingHandler,
  type ChangingKind,
  type DaemonHandler,
  type DelayFn,
  HANDLER_CATEGORIES,
  type Handler,
  type HandlerBase,
  type HandlerCategory,
  type HandlerKind,
  type RegisteredFn,
  type ResourceHandlerBase,
  type TimerHandler,
  type WebhookHandler,
} from './handlers.js';
import { editDistance, optionsError, validateOptions } from './options.js';
import type { Reason } from './persistence.js';
import type { ResourceSelector } from './resources.js';

/** Where a declaration comes from, for ids and messages. */
export interface DeclarationContext {
  /** Names the registration in messages, e.g. `on.create('kopfexamples')`. */
  readonly where: string;
  /** The parsed selector (resource handlers; not activities or sub-handlers). */
  readonly selector?: ResourceSelector;
  /** The id to use without an explicit `id`: the function's or method's name. */
  readonly defaultId?: string;
  /** The running parent handler, for sub-handlers. */
  readonly parent?: ChangingHandler;
}

/** Kopf's default `errors` per category. */
const DEFAULT_ERRORS: Readonly<Record<HandlerCategory, ErrorsMode>> = {
  changing: 'temporary',
  spawning: 'temporary',
  activity: 'temporary',
  watching: 'ignored',
  indexing: 'ignored',
  webhook: 'permanent',
};

const ACTIVITIES: Readonly<Record<ActivityKind, ActivityHandler['activity']>> = {
  startup: 'startup',
  cleanup: 'cleanup',
  login: 'authentication',
  probe: 'probe',
};

type Options = Readonly<Record<string, unknown>>;

/**
 * The name a function contributes as a default id: its `name`, without the
 * `bound ` prefix of bound functions; `undefined` for anonymous functions.
 */
export function functionName(fn: unknown): string | undefined {
  const name = typeof fn === 'function' ? fn.name.replace(/^(bound )+/, '') : '';
  return name === '' ? undefined : name;
}

/**
 * Builds the frozen record of a handler.
 *
 * @throws HandlerOptionsError for a non-function handler, unknown options, bad values,
 * `value` together with `old`/`new`, `value`/`old`/`new` without `field`, `on.field`
 * without `field`, `old`/`new` under a parent that is not an update/field handler, and
 * a missing id.
 */
export function declareHandler(
  kind: HandlerKind,
  fn: unknown,
  options: Options,
  context: DeclarationContext,
): Handler {
  const explicitId = typeof options.id === 'string' ? options.id : undefined;
  const where = `${context.where} handler '${explicitId ?? context.defaultId ?? '(anonymous)'}'`;
  if (typeof fn !== 'function') {
    throw optionsError(where, `the handler must be a function, got ${fn === null ? 'null' : typeof fn}.`);
  }
  validateOptions(kind, options, where);
  const field = parseFieldOption(options.field, where);
  verifyFieldRules(kind, options, field, context, where);
  const base = baseRecord(kind, fn as RegisteredFn, options, idOf(kind, field, explicitId, context, where));
  if (kind === 'startup' || kind === 'cleanup' || kind === 'login' || kind === 'probe') {
    return Object.freeze({ ...(base as HandlerBase<ActivityKind>), activity: ACTIVITIES[kind] });
  }
  const resource = { ...base, ...filtersOf(kind, options, field, context), selector: context.selector };
  return Object.freeze(specificRecord(kind, resource, options));
}

function parseFieldOption(field: unknown, where: string): FieldPath | undefined {
  if (field === undefined) return undefined;
  let path: FieldPath;
  try {
    path = parseField(field as FieldSpec);
  } catch (error) {
    throw optionsError(where, `option 'field' ${(error as Error).message}`, error);
  }
  const typo = topLevelTypo(path[0] ?? '');
  if (typo) {
    throw optionsError(
      where,
      `option 'field' starts with '${path[0]}', which no object has; did you mean '${typo}'?`,
    );
  }
  return path;
}

const TOP_LEVEL = ['spec', 'status', 'metadata'];

/**
 * A likely misspelling of a top-level stanza (`'sepc'`, `'specs'`, `'meta'`): fields
 * are paths in the raw body, where Kopf's `meta` alias does not exist. Other names
 * pass (`data`, `rules`, … are real top-level fields of built-in kinds).
 */
function topLevelTypo(first: string): string | undefined {
  if (first === 'meta') return 'metadata';
  if (TOP_LEVEL.includes(first)) return undefined;
  const swapped = TOP_LEVEL.find(
    (name) => name.length === first.length && [...name].sort().join() === [...first].sort().join(),
  );
  return swapped ?? TOP_LEVEL.find((name) => editDistance(first, name) === 1);
}

function verifyFieldRules(
  kind: HandlerKind,
  options: Options,
  field: FieldPath | undefined,
  context: DeclarationContext,
  where: string,
): void {
  const hasOldNew = options.old !== undefined || options.new !== undefined;
  if (kind === 'field' && field === undefined) {
    throw optionsError(where, "on.field needs the 'field' option, e.g. { field: 'spec.size' }.");
  }
  if (field === undefined && (options.value !== undefined || hasOldNew)) {
    throw optionsError(
      where,
      "the 'value'/'old'/'new' filters need a 'field' to look at; add { field: '…' }.",
    );
  }
  if (options.value !== undefined && hasOldNew) {
    throw optionsError(where, "give either 'value' or 'old'/'new', not both.");
  }
  const parent = context.parent;
  if (
    kind === 'subhandler' &&
    hasOldNew &&
    parent &&
    !['update', 'field', 'subhandler'].includes(parent.kind)
  ) {
    throw optionsError(
      where,
      `the 'old'/'new' filters need an on.update or on.field parent; '${parent.id}' is an on.${parent.kind} handler.`,
    );
  }
}

function idOf(
  kind: HandlerKind,
  field: FieldPath | undefined,
  explicitId: string | undefined,
  context: DeclarationContext,
  where: string,
): string {
  const id = explicitId ?? context.defaultId;
  if (id === undefined) {
    throw optionsError(where, "an anonymous function needs an explicit id: add { id: '…' }.");
  }
  if (kind === 'subhandler') return context.parent ? `${context.parent.id}/${id}` : id;
  const suffixed = field !== undefined && kind !== 'index';
  return suffixed ? `${id}/${field.join('.')}` : id;
}

function baseRecord(
  kind: HandlerKind,
  fn: RegisteredFn,
  options: Options,
  id: string,
): HandlerBase<HandlerKind> {
  const requiresFinalizer =
    kind === 'daemon' || kind === 'timer' || (kind === 'delete' && options.optional !== true);
  return {
    kind,
    id,
    fn,
    param: options.param,
    errors: (options.errors as ErrorsMode | undefined) ?? DEFAULT_ERRORS[HANDLER_CATEGORIES[kind]],
    timeout: options.timeout as number | undefined,
    retries: options.retries as number | undefined,
    backoff: options.backoff as number | undefined,
    requiresFinalizer,
  };
}

function filtersOf(
  kind: HandlerKind,
  options: Options,
  field: FieldPath | undefined,
  context: DeclarationContext,
): HandlerFilters {
  const needsChange =
    kind === 'update' ||
    kind === 'field' ||
    (kind === 'subhandler' && context.parent?.fieldNeedsChange === true);
  return {
    labels: options.labels as HandlerFilters['labels'],
    annotations: options.annotations as HandlerFilters['annotations'],
    when: options.when as HandlerFilters['when'],
    field,
    value: options.value as HandlerFilters['value'],
    old: options.old as HandlerFilters['old'],
    new: options.new as HandlerFilters['new'],
    fieldNeedsChange: needsChange,
  };
}

const REASONS: Readonly<Partial<Record<ChangingKind, Reason>>> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
};

function specificRecord(
  kind: HandlerKind,
  record: ResourceHandlerBase<HandlerKind>,
  options: Options,
): Handler {
  switch (kind) {
    case 'create':
    case 'update':
    case 'delete':
    case 'resume':
    case 'field':
    case 'subhandler':
      return {
        ...record,
        kind,
        reason: REASONS[kind],
        initial: kind === 'resume',
        deleted: kind === 'resume' && options.deleted === true,
        optional: kind === 'delete' && options.optional === true,
      } satisfies ChangingHandler;
    case 'timer':
      return {
        ...record,
        kind,
        interval: options.interval as number | undefined,
        initialDelay: options.initialDelay as number | DelayFn | undefined,
        idle: options.idle as number | undefined,
        sharp: options.sharp === true,
      } satisfies TimerHandler;
    case 'daemon':
      return {
        ...record,
        kind,
        initialDelay: options.initialDelay as number | DelayFn | undefined,
        cancellationBackoff: options.cancellationBackoff as number | undefined,
        cancellationTimeout: options.cancellationTimeout as number | undefined,
        cancellationPolling: options.cancellationPolling as number | undefined,
      } satisfies DaemonHandler;
    case 'validate':
    case 'mutate':
      return {
        ...record,
        kind,
        type: kind === 'validate' ? 'validating' : 'mutating',
        operations: options.operations as readonly WebhookOperation[] | undefined,
        subresource: options.subresource as string | undefined,
        persistent: options.persistent === true,
        sideEffects: options.sideEffects === true,
        ignoreFailures: options.ignoreFailures === true,
      } satisfies WebhookHandler;
    case 'event':
    case 'index':
      return { ...record, kind };
    default:
      throw new TypeError(`Unknown handler kind '${kind}'.`);
  }
}
