/**
 * Who is calling: the admin bearer token, another token given in the `users` option
 * (a user or a service account, `system:serviceaccount:<ns>:<name>`, with the groups
 * kube gives service accounts), or a client certificate signed by the server's CA
 * (CN = user, O = groups). A wrong token, or none outside the health and version
 * endpoints, is 401 `Unauthorized` exactly, as kube-apiserver with anonymous access
 * off answers.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from './authorization.js';
import { unauthorized } from './statuses.js';

/** The user behind the admin token. */
export const ADMIN_USER: UserInfo = {
  username: 'kopf-fake-admin',
  groups: ['system:masters', 'system:authenticated'],
};

/** The anonymous user (only health and version endpoints). */
export const ANONYMOUS_USER: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** A user a token stands for: a user name (or service account name), or a name with groups. */
export type UserSpec = string | { readonly username: string; readonly groups?: readonly string[] };

const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The user (with kube's implicit groups) a `users` entry stands for. */
export function userOf(spec: UserSpec): UserInfo {
  const username = typeof spec === 'string' ? spec : spec.username;
  const given = typeof spec === 'string' ? [] : [...(spec.groups ?? [])];
  const account = SERVICE_ACCOUNT.exec(username);
  const implicit = account
    ? ['system:serviceaccounts', `system:serviceaccounts:${account[1]}`, 'system:authenticated']
    : ['system:authenticated'];
  return { username, groups: [...new Set([...given, ...implicit])] };
}

const PUBLIC_PATHS = /^\/(healthz|livez|readyz|version)(\/.*)?$/;

function certificateUser(req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.encrypted || !socket.authorized) return undefined;
  const certificate = socket.getPeerCertificate();
  const subject = certificate?.subject as unknown as Record<string, string | string[]> | undefined;
  const name = subject?.CN;
  if (typeof name !== 'string' || name === '') return undefined;
  const organizations = subject?.O;
  const groups = Array.isArray(organizations) ? organizations : organizations ? [organizations] : [];
  return { username: name, groups: [...groups, 'system:authenticated'] };
}

/** Authenticates a request, or throws 401; `users` maps further tokens to users. */
export function authenticate(
  req: IncomingMessage,
  token: string,
  path: string,
  users?: ReadonlyMap<string, UserInfo>,
): UserInfo {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match && match[1] === token) return ADMIN_USER;
    const user = match?.[1] ? users?.get(match[1]) : undefined;
    if (user) return user;
    throw unauthorized();
  }
  const user = certificateUser(req);
  if (user) return user;
  if (PUBLIC_PATHS.test(path)) return ANONYMOUS_USER;
  throw unauthorized();
}
