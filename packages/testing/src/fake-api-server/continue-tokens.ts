/**
 * `continue` tokens of paginated lists, in the real server's format: base64 of
 * `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`. The token pins the snapshot
 * (the first page's resource version) and where the next page starts.
 */
import { badRequest } from './statuses.js';

/** The decoded content of a continue token. */
export interface ContinueToken {
  /** The resource version of the first page: later pages are served from this snapshot. */
  readonly resourceVersion: number;
  /** The first key of the next page (the last key of this page plus `\0`). */
  readonly start: string;
}

export function encodeContinue(token: ContinueToken): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.resourceVersion, start: token.start });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Decodes a token, or throws the real 400 for a malformed one. */
export function decodeContinue(text: string): ContinueToken {
  try {
    const data = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (data.v !== 'meta.k8s.io/v1' || typeof data.rv !== 'number' || typeof data.start !== 'string')
      throw new Error('bad');
    return { resourceVersion: data.rv, start: data.start };
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}
