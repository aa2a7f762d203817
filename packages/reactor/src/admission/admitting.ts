/**
 * Serving one admission request: find the resource among those the admission
 * handlers serve, build the webhook cause (body, old, new, diff, userinfo, dryrun,
 * warnings, headers, the patch), select the handlers (the one the URL names, or all),
 * run them one by one as Kopf does (errors are permanent by default), and answer.
 * The API server's deadline (`?timeout=`) is honoured: a handler still running shortly
 * before it is reported as timed out (or let through with a warning if it ignores
 * failures), so the client gets a clear message instead of a dropped call.
 */
import {
  AdmissionError,
  type AdmissionRequestHandler,
  type ApiClient,
  type Body,
  copyMemo,
  describeHandler,
  type EventSink,
  type HandlerId,
  type Indexes,
  type Logger,
  lifecycles,
  type Memo,
  Patch,
  type Registry,
  type Resource,
  type ResourceSelector,
  type WebhookCause,
  type WebhookHandler,
} from '@kopf/core';
import type { Clock } from '../clock.js';
import { diff } from '../diffs.js';
import { type ExecutionContext, executeHandlerOnce } from '../execution.js';
import { createLogger } from '../loggers.js';
import type { LogSink } from '../logging.js';
import type { ResolvedSettings } from '../settings.js';
import { jsonPatchOf } from './json-patches.js';
import {
  type AdmissionFailure,
  AdmissionRequestError,
  type AdmissionReviewAnswer,
  buildAnswer,
  parseReview,
} from './reviews.js';

/** What serving admission requests needs from the operator. */
export interface AdmissionContext {
  readonly registry: Registry;
  readonly settings: ResolvedSettings;
  readonly clock: Clock;
  readonly logs: LogSink;
  /** The resources a selector resolves to now (from discovery). */
  readonly resources: (selector: ResourceSelector) => readonly Resource[];
  /** The `client` kwarg. */
  readonly client?: ApiClient;
  /** Where `info()`/`warn()`/`event()` in handlers post. */
  readonly eventSink?: EventSink;
  /** The operator-wide memo; each request gets a shallow copy of it (Kopf's throw-away memo). */
  readonly memo?: Memo;
  /** The memo of a known object (UPDATE, DELETE, CONNECT); the copy of `memo` when this is absent. */
  readonly recallMemo?: (body: Body) => Memo | undefined;
  /** The `indexes` kwarg. */
  readonly indexes?: Indexes;
  /** Seconds the API server waits when a request does not say (`timeoutSeconds`); default 30. */
  readonly timeout?: number;
}

/**
 * What a webhook server knows about one request. Core's `AdmissionRequestHandler` context,
 * plus the verified client certificate and the API server's deadline when the server has them.
 */
export interface AdmissionRequestContext {
  /** The handler id the URL names; `undefined` for all handlers. */
  readonly webhook: HandlerId | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** The verified client certificate's details (`sslpeer` kwarg). */
  readonly sslpeer?: Readonly<Record<string, unknown>>;
  /** Seconds the API server waits for the answer (its `?timeout=` query). */
  readonly timeout?: number;
}

const DEFAULT_TIMEOUT = 30;

/**
 * Answers an AdmissionReview with the registry's admission handlers.
 *
 * @throws AdmissionRequestError when the review is malformed (400) or names a resource
 * no admission handler serves (404).
 * @example
 * const answer = await admit(JSON.parse(text), { webhook: 'check', headers: {} }, context);
 */
export async function admit(
  review: unknown,
  request: AdmissionRequestContext,
  context: AdmissionContext,
): Promise<AdmissionReviewAnswer> {
  const parsed = parseReview(review);
  const resource = findResource(parsed.request.resource, context);
  const cause = buildCause(parsed.request, request, resource, context);
  const match = (selector: ResourceSelector): boolean =>
    context.resources(selector).some((candidate) => sameResource(candidate, resource));
  const handlers = context.registry.forResource(match).webhooks(cause);
  const budget = answerWithin(request.timeout ?? context.timeout ?? DEFAULT_TIMEOUT);
  const failures = await runHandlers(handlers, cause, context, budget);
  const patch = failures.length === 0 ? jsonPatchOf(cause.patch, cause.body) : [];
  return buildAnswer(parsed, { failures, warnings: [...cause.warnings], patch });
}

/** The handler every webhook server is given: {@link admit} bound to the operator's context. */
export function admissionHandler(context: AdmissionContext): AdmissionRequestHandler {
  return (review, request) => admit(review, request as AdmissionRequestContext, context);
}

/** Seconds to answer in: a little before the API server gives up (10 %, at most 1 s). */
function answerWithin(timeout: number): number {
  return timeout - Math.min(1, timeout / 10);
}

function sameResource(a: Pick<Resource, 'group' | 'version' | 'plural'>, b: Resource): boolean {
  return a.group === b.group && a.version === b.version && a.plural === b.plural;
}

/** The resource the request is about, as the admission handlers' selectors resolve it. */
function findResource(
  wanted: { readonly group: string; readonly version: string; readonly resource: string },
  context: AdmissionContext,
): Resource {
  const found: Resource[] = [];
  const target = { group: wanted.group, version: wanted.version, plural: wanted.resource };
  for (const selector of context.registry.selectors('webhook')) {
    found.push(...context.resources(selector).filter((resource) => sameResource(target, resource)));
  }
  const name = `${wanted.resource}.${wanted.version}${wanted.group ? `.${wanted.group}` : ''}`;
  const [first] = found;
  if (!first)
    throw new AdmissionRequestError(
      `Serving the admission request failed: no admission handler serves ${name}; ` +
        'check the webhook configuration rules, or register on.validate/on.mutate for it.',
      { status: 404 },
    );
  return first;
}

function buildCause(
  request: ReturnType<typeof parseReview>['request'],
  http: AdmissionRequestContext,
  resource: Resource,
  context: AdmissionContext,
): WebhookCause {
  const body = (request.object ?? request.oldObject) as Body;
  const fresh = request.operation === 'CREATE';
  const operatorMemo = context.memo ?? {};
  const memo = (fresh ? undefined : context.recallMemo?.(body)) ?? copyMemo(operatorMemo);
  const logger: Logger = createLogger({ sink: context.logs, body });
  return {
    logger,
    memo,
    indexes: context.indexes ?? {},
    resource,
    body,
    patch: new Patch(),
    dryrun: request.dryRun,
    reason: undefined,
    webhook: http.webhook,
    headers: http.headers,
    sslpeer: http.sslpeer,
    userinfo: request.userInfo,
    warnings: [],
    operation: request.operation,
    subresource: request.subresource,
    old: request.oldObject,
    new: request.object,
    diff: diff(request.oldObject, request.object),
  };
}

/** Runs the handlers in order within `budget` seconds; the failures, in order. */
async function runHandlers(
  handlers: readonly WebhookHandler[],
  cause: WebhookCause,
  context: AdmissionContext,
  budget: number,
): Promise<AdmissionFailure[]> {
  const execution: ExecutionContext = {
    settings: context.settings,
    clock: context.clock,
    lifecycle: lifecycles.allAtOnce,
    defaultErrors: 'permanent',
    handlerContext: {
      settings: context.settings,
      ...(context.client ? { client: context.client } : {}),
      ...(context.eventSink ? { eventSink: context.eventSink } : {}),
    },
  };
  const deadline = context.clock.now() + budget * 1000;
  const failures: AdmissionFailure[] = [];
  for (const [index, handler] of handlers.entries()) {
    const attempt = executeHandlerOnce(handler, cause, undefined, execution);
    const outcome = await within(attempt, deadline - context.clock.now(), context.clock);
    if (outcome === undefined) {
      failures.push(...timedOut(handlers.slice(index), cause, budget));
      break;
    }
    if (outcome.error !== undefined) failures.push({ handler, error: outcome.error });
  }
  return failures;
}

/** The outcome, or `undefined` if `ms` pass first. */
async function within<T>(promise: Promise<T>, ms: number, clock: Clock): Promise<T | undefined> {
  const controller = new AbortController();
  const timer = clock.sleep(Math.max(0, ms), controller.signal).then(() => undefined);
  try {
    return await Promise.race([promise, timer]);
  } finally {
    controller.abort();
  }
}

/**
 * A handler ran out of time, and the ones after it did not run. If all of them ignore
 * failures (`failurePolicy: Ignore`), the request goes through with a warning;
 * otherwise it is denied with 504 and a message that names the handler and the time.
 */
function timedOut(
  unfinished: readonly WebhookHandler[],
  cause: WebhookCause,
  budget: number,
): AdmissionFailure[] {
  const [handler] = unfinished as [WebhookHandler, ...WebhookHandler[]];
  const seconds = Math.round(budget * 100) / 100;
  const title = describeHandler(handler);
  if (unfinished.every((each) => each.ignoreFailures)) {
    const message = `${title} did not finish within ${seconds} seconds; the request is let through (ignoreFailures).`;
    cause.logger.warning(message);
    cause.warnings.push(message);
    return [];
  }
  const message =
    `${title} did not finish within ${seconds} seconds, before the API server's timeout; ` +
    'make it faster, or let such requests through with { ignoreFailures: true }.';
  cause.logger.error(message);
  return [{ handler, error: new AdmissionError(message, { code: 504 }) }];
}
