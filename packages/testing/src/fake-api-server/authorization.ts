/**
 * The authorization step: who may do what. The fake allows every authenticated user
 * by default; a test may pass an `authorize` hook, and RBAC may be enforced
 * (`rbac.ts`). A denial is the real 403 wording (`kopfexamples.kopf.dev "x" is
 * forbidden: User "u" cannot get resource "kopfexamples" in API group "kopf.dev" in
 * the namespace "ns"`).
 */
import type { RequestInfo } from './request-info.js';
import { forbidden, type StatusError } from './statuses.js';

/** The authenticated identity of a request. */
export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
}

/** Decides on one request: `true` to allow, `false` or a reason string to deny. */
export type AuthorizeHook = (user: UserInfo, request: RequestInfo) => boolean | string;

/** The 403 the real authorizer chain answers with. */
export function deny(user: UserInfo, request: RequestInfo, reason: string | undefined): StatusError {
  const suffix = reason ? `: ${reason}` : '';
  if (request.kind === 'nonresource') {
    return forbidden(
      '',
      '',
      '',
      `User "${user.username}" cannot ${request.verb} path "${request.path}"${suffix}`,
    );
  }
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const scope = request.namespace ? ` in the namespace "${request.namespace}"` : ' at the cluster scope';
  const why = `User "${user.username}" cannot ${request.verb} resource "${resource}" in API group "${request.group}"${scope}${suffix}`;
  return forbidden(request.group, request.resource, request.name, why);
}

/** An authorizer's answer: allowed, or the reason of a denial (possibly empty). */
export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

/** Asks the hook (allow-all without one), then `next` (RBAC, when enforced). */
export function decide(
  hook: AuthorizeHook | undefined,
  next: ((user: UserInfo, request: RequestInfo) => Decision) | undefined,
  user: UserInfo,
  request: RequestInfo,
): Decision {
  const verdict = hook ? hook(user, request) : true;
  if (verdict !== true) return { allowed: false, reason: typeof verdict === 'string' ? verdict : '' };
  return next ? next(user, request) : { allowed: true, reason: '' };
}

/** Throws the real 403 unless the decision allows. */
export function authorize(decision: Decision, user: UserInfo, request: RequestInfo): void {
  if (!decision.allowed) throw deny(user, request, decision.reason || undefined);
}
