/**
 * The authorization step: who may do what. The fake allows every authenticated user
 * by default; a test (or RBAC emulation, issue 4) may pass an `authorize` hook, and a
 * denial is the real 403 wording (`kopfexamples.kopf.dev "x" is forbidden: User "u"
 * cannot get resource "kopfexamples" in API group "kopf.dev" in the namespace "ns"`).
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

/** Runs the hook (allow-all without one); throws the 403 on denial. */
export function authorize(hook: AuthorizeHook | undefined, user: UserInfo, request: RequestInfo): void {
  if (!hook) return;
  const verdict = hook(user, request);
  if (verdict === true) return;
  throw deny(user, request, typeof verdict === 'string' ? verdict : undefined);
}
