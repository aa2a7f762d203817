/**
 * Who is calling: the admin bearer token, or a client certificate signed by the
 * server's CA (CN = user, O = groups). A wrong token, or none outside the health and
 * version endpoints, is 401 `Unauthorized` exactly, as kube-apiserver with anonymous
 * access off answers.
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

/** Authenticates a request, or throws 401. */
export function authenticate(req: IncomingMessage, token: string, path: string): UserInfo {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match && match[1] === token) return ADMIN_USER;
    throw unauthorized();
  }
  const user = certificateUser(req);
  if (user) return user;
  if (PUBLIC_PATHS.test(path)) return ANONYMOUS_USER;
  throw unauthorized();
}
