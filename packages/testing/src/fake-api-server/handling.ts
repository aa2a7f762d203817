/**
 * The request pipeline in front of every endpoint, in kube-apiserver's order:
 * authentication (401) → request info → counters → injected faults (delay, failure)
 * → authorization (403) → the non-resource or resource handler. Every error leaves
 * as a `kind: Status` body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate } from './authentication.js';
import { type AuthorizeHook, authorize, type Decision, decide, type UserInfo } from './authorization.js';
import type { RequestCounters } from './counters.js';
import type { Faults } from './faults.js';
import { type NonResourceContext, serveNonResource } from './nonresource.js';
import { type RequestInfo, resolveRequestInfo } from './request-info.js';
import { type ResourceContext, serveResource } from './resources.js';
import { commonHeaders, sendError, sendStatusError } from './responses.js';

/** Everything the pipeline needs. */
export interface HandlingContext extends ResourceContext, NonResourceContext {
  readonly token: string;
  readonly counters: RequestCounters;
  readonly faults: Faults;
  readonly authorize?: AuthorizeHook;
  /** Tokens besides the admin's, and the users they stand for. */
  readonly users?: ReadonlyMap<string, UserInfo>;
  /** The enforced authorizer after the hook (RBAC), when enabled. */
  readonly authorizer?: (user: UserInfo, request: RequestInfo) => Decision;
}

/** Handles one HTTP request to the end. */
export async function handleRequest(
  context: HandlingContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  commonHeaders(res);
  try {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const user = authenticate(req, context.token, url.pathname, context.users);
    const info = resolveRequestInfo(method, url);
    context.counters.record(info);
    const delay = context.faults.delayFor(info);
    if (delay > 0) await sleep(delay);
    const failure = context.faults.failureFor(info);
    if (failure) return sendStatusError(res, failure);
    authorize(decide(context.authorize, context.authorizer, user, info), user, info);
    if (info.kind === 'nonresource') return serveNonResource(context, res, method, url, req.headers.accept);
    await serveResource(context, req, res, info, url, user);
  } catch (error) {
    sendError(res, error);
  }
}
