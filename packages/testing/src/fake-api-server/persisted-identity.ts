/**
 * What a persistent server keeps besides its objects, so that a kubeconfig written
 * before a restart still works after it: the admin token and the PKI (the CA, and the
 * server certificate, re-issued by the same CA when the listening host changes), in
 * `identity.json` (mode 0600) next to the store.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateServerPki, type KeyPair, type ServerPki } from './certificates.js';
import { isJsonObject } from './objects.js';
import { PersistenceError } from './write-ahead-log.js';

/** The admin token and the PKI of a server. */
export interface ServerIdentity {
  readonly token: string;
  readonly pki: ServerPki | undefined;
}

interface SavedIdentity {
  readonly token?: string;
  readonly hosts?: readonly string[];
  readonly ca?: KeyPair;
  readonly server?: KeyPair;
}

function isKeyPair(value: unknown): value is KeyPair {
  return isJsonObject(value) && typeof value.certPem === 'string' && typeof value.keyPem === 'string';
}

async function readSaved(path: string): Promise<SavedIdentity> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new PersistenceError(`Reading ${path} failed: ${error.message}`, { cause: error });
  });
  if (text === undefined) return {};
  const parsed: unknown = JSON.parse(text);
  return isJsonObject(parsed) ? (parsed as SavedIdentity) : {};
}

/** A fresh identity (random token; a new CA when `tls`). */
export async function newIdentity(
  hosts: readonly string[],
  tls: boolean,
  token?: string,
): Promise<ServerIdentity> {
  return {
    token: token ?? randomBytes(24).toString('base64url'),
    pki: tls ? await generateServerPki(hosts) : undefined,
  };
}

/** The identity kept in `directory` (created on first use); a given `token` replaces the kept one. */
export async function persistedIdentity(
  directory: string,
  hosts: readonly string[],
  tls: boolean,
  token?: string,
): Promise<ServerIdentity> {
  const path = join(directory, 'identity.json');
  const saved = await readSaved(path);
  const sameHosts = JSON.stringify(saved.hosts ?? []) === JSON.stringify(hosts);
  let pki: ServerPki | undefined;
  if (tls && isKeyPair(saved.ca)) {
    pki =
      sameHosts && isKeyPair(saved.server)
        ? { ca: saved.ca, server: saved.server }
        : await generateServerPki(hosts, saved.ca);
  } else if (tls) {
    pki = await generateServerPki(hosts);
  }
  const identity = { token: token ?? saved.token ?? randomBytes(24).toString('base64url'), pki };
  const kept =
    pki ??
    (isKeyPair(saved.ca) && isKeyPair(saved.server) ? { ca: saved.ca, server: saved.server } : undefined);
  const next: SavedIdentity = {
    token: identity.token,
    hosts,
    ...(kept ? { ca: kept.ca, server: kept.server } : {}),
  };
  await writeFile(path, JSON.stringify(next, null, 2), { mode: 0o600 });
  return identity;
}
