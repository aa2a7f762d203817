/**
 * Annotation keys of Kopf's storages (its `StorageKeyFormingConvention`), so that a
 * kopf-ts operator finds and writes the very keys a Python Kopf operator did:
 * `kopf.zalando.org/create_fn.item1` for the record `create_fn/item1`.
 *
 * Kubernetes limits the name part of a key to 63 characters. V2 keys (current)
 * cut the name to 63 and end a cut name with `-<hash>`; V1 keys (older Kopf) did
 * the same to the whole key including the prefix. While `v1` is on (Kopf's
 * default) both are written and purged, and either is read. ReplicaSets owned by
 * Deployments get `-ofDRS` on every key, because Kubernetes copies a Deployment's
 * annotations onto its ReplicaSets.
 */
import type { Body } from '@kopf/core';
import { blake2b } from '@noble/hashes/blake2.js';

/** Kubernetes' limit on the name part of an annotation key. */
const NAME_LIMIT = 63;

/** A storage prefix was empty: Kopf's annotation storages must be prefixed. */
export class AnnotationPrefixError extends Error {
  override name = 'AnnotationPrefixError';
}

/** Options of {@link AnnotationKeys}. */
export interface AnnotationKeysOptions {
  /** The key prefix (the part before `/`), e.g. `kopf.zalando.org`. Must not be empty. */
  readonly prefix: string;
  /** Also form the V1 keys (whole key limited to 63 chars). Kopf's default: `true`. */
  readonly v1: boolean;
}

/**
 * `/` → `.` and `<`, `>` → `_`: the characters of handler ids that annotation
 * keys may not contain (Kopf's `make_safe_key`).
 */
export function makeSafeKey(key: string): string {
  return key.replaceAll('/', '.').replaceAll('<', '_').replaceAll('>', '_');
}

/**
 * The `-<hash>` that ends a shortened key: blake2b with a 4-byte digest, in
 * base64 with `-` and `.` instead of `+` and `/`, trailing `=`, `-`, `.` stripped
 * (so that the key ends with an alphanumeric, as Kubernetes requires).
 */
export function makeKeySuffix(key: string): string {
  const digest = blake2b(new TextEncoder().encode(key), { dkLen: 4 });
  const alnums = Buffer.from(digest).toString('base64').replaceAll('+', '-').replaceAll('/', '.');
  return `-${alnums}`.replace(/[=.-]+$/, '');
}

/** The key with `-ofDRS` appended when the body is a ReplicaSet owned by a Deployment. */
export function markKey(key: string, body: Body): string {
  const owners = body.metadata?.ownerReferences ?? [];
  const ownedByDeployment = owners.some((owner) => owner.kind === 'Deployment');
  return body.kind === 'ReplicaSet' && ownedByDeployment ? `${key}-ofDRS` : key;
}

/**
 * Forms the annotation keys of one storage prefix.
 *
 * @example
 * const keys = new AnnotationKeys({ prefix: 'kopf.zalando.org', v1: true });
 * keys.keysFor('create_fn/item1'); // ['kopf.zalando.org/create_fn.item1']
 */
export class AnnotationKeys {
  readonly prefix: string;
  readonly v1: boolean;

  /** @throws AnnotationPrefixError when the prefix is empty. */
  constructor(options: AnnotationKeysOptions) {
    if (!options.prefix) {
      throw new AnnotationPrefixError(
        'Creating an annotations storage failed: the prefix is empty. ' +
          'Pass a prefix such as "kopf.zalando.org" or "my-operator.example.com".',
      );
    }
    this.prefix = options.prefix;
    this.v1 = options.v1;
  }

  /**
   * Every key a record is kept under, V2 first, then V1 when enabled and
   * different; `-ofDRS`-marked when a body is given and needs it.
   */
  keysFor(key: string, body?: Body): string[] {
    const marked = body === undefined ? key : markKey(key, body);
    const v2 = this.v2Key(marked);
    const v1 = this.v1 ? this.v1Key(marked) : v2;
    return v1 === v2 ? [v2] : [v2, v1];
  }

  /** The V2 key: the name part (after the prefix) at most 63 chars, hash-suffixed when cut. */
  v2Key(key: string): string {
    const suffix = key.length > NAME_LIMIT ? makeKeySuffix(key) : '';
    const name = makeSafeKey(key).slice(0, Math.max(0, NAME_LIMIT - suffix.length));
    return `${this.prefix}/${name}${suffix}`;
  }

  /** The V1 key: the whole key (prefix included) at most 63 chars, hash-suffixed when cut. */
  v1Key(key: string): string {
    const safe = makeSafeKey(key);
    const prefix = `${this.prefix}/`;
    const suffix = safe.length <= NAME_LIMIT - prefix.length ? '' : makeKeySuffix(safe);
    // Like Kopf's Python slice, a negative room (prefixes over 55 chars) counts from the end.
    const room = NAME_LIMIT - prefix.length - suffix.length;
    return `${prefix}${safe.slice(0, room)}${suffix}`;
  }
}
