import { describe, expect, it } from 'vitest';
import {
  AnnotationKeys,
  AnnotationPrefixError,
  makeKeySuffix,
  makeSafeKey,
  markKey,
} from './annotation-keys.js';

// Vectors from Kopf's tests/persistence/test_annotations_hashing.py (prefix length 23).
const PREFIX = 'my-operator.example.com';
const keys = new AnnotationKeys({ prefix: PREFIX, v1: true });

describe('makeSafeKey', () => {
  it('replaces the characters annotation keys may not hold', () => {
    expect(makeSafeKey('a_b.c-d/e')).toBe('a_b.c-d.e');
    expect(makeSafeKey('parent/child<1>')).toBe('parent.child_1_');
  });
});

describe('makeKeySuffix', () => {
  it('is a 4-byte blake2b digest in base64 with Kopf altchars, stripped', () => {
    expect(makeKeySuffix('x'.repeat(40))).toBe('-tEokcg');
    // "+" and "/" of standard base64 become "-" and ".".
    expect(makeKeySuffix('fn'.repeat(323))).toBe('-Az-r.g');
  });
});

describe('AnnotationKeys.v1Key', () => {
  it.each([
    ['a_b.c-d/e', `${PREFIX}/a_b.c-d.e`],
    ['x', `${PREFIX}/x`],
    ['x'.repeat(39), `${PREFIX}/${'x'.repeat(39)}`],
    ['x'.repeat(40), `${PREFIX}/${'x'.repeat(32)}-tEokcg`],
    ['y'.repeat(40), `${PREFIX}/${'y'.repeat(32)}-VZlvhw`],
    ['z'.repeat(40), `${PREFIX}/${'z'.repeat(32)}-LlPQyA`],
    ['fn'.repeat(323), `${PREFIX}/${'fn'.repeat(16)}-Az-r.g`],
  ])('limits the whole key to 63 chars: %s', (id, expected) => {
    expect(keys.v1Key(id)).toBe(expected);
    expect(keys.v1Key(id).length).toBeLessThanOrEqual(63);
  });

  it('cuts from the end like a Python slice when the prefix leaves no room', () => {
    // Computed with Kopf's make_v1_key: a 60-char prefix gives a negative slice end.
    const long = new AnnotationKeys({ prefix: 'x'.repeat(60), v1: true });
    expect(long.v1Key('abcdefghijklmnop')).toBe(`${'x'.repeat(60)}/abcdefghijk-hYIadw`);
  });
});

describe('AnnotationKeys.v2Key', () => {
  it.each([
    ['a_b.c-d/e', `${PREFIX}/a_b.c-d.e`],
    ['x', `${PREFIX}/x`],
    ['x'.repeat(63), `${PREFIX}/${'x'.repeat(63)}`],
    ['x'.repeat(64), `${PREFIX}/${'x'.repeat(56)}-SItAqA`],
    ['y'.repeat(64), `${PREFIX}/${'y'.repeat(56)}-0d251g`],
    ['z'.repeat(64), `${PREFIX}/${'z'.repeat(56)}-E7wvIA`],
    ['fn'.repeat(323), `${PREFIX}/${'fn'.repeat(28)}-Az-r.g`],
  ])('limits the name part to 63 chars: %s', (id, expected) => {
    expect(keys.v2Key(id)).toBe(expected);
  });

  it('hashes the raw id (with slashes), not the safe one', () => {
    const kopf = new AnnotationKeys({ prefix: 'kopf.zalando.org', v1: true });
    const id = 'update_fn/spec.some.very.long.field.name.that.goes.beyond.limits';
    // Both computed with Kopf's make_v1_key / make_v2_key.
    expect(kopf.v2Key(id)).toBe(
      'kopf.zalando.org/update_fn.spec.some.very.long.field.name.that.goes.beyon-gXpJNg',
    );
    expect(kopf.v1Key(id)).toBe('kopf.zalando.org/update_fn.spec.some.very.long.field.nam-yuSFdg');
  });
});

describe('AnnotationKeys.keysFor', () => {
  const kopf = new AnnotationKeys({ prefix: 'kopf.zalando.org', v1: true });

  it('gives one key when V1 and V2 agree', () => {
    expect(kopf.keysFor('create_fn/item1')).toEqual(['kopf.zalando.org/create_fn.item1']);
  });

  it('gives V2 then V1 when they differ', () => {
    const id = '.'.repeat(64);
    expect(kopf.keysFor(id)).toEqual([kopf.v2Key(id), kopf.v1Key(id)]);
    expect(new Set(kopf.keysFor(id)).size).toBe(2);
  });

  it('gives only V2 when V1 is off', () => {
    const v2only = new AnnotationKeys({ prefix: 'kopf.zalando.org', v1: false });
    expect(v2only.keysFor('.'.repeat(64))).toEqual([kopf.v2Key('.'.repeat(64))]);
  });

  it.each([
    ['ReplicaSet', 'Deployment', 'kopf.dev/xyz-ofDRS'],
    ['ReplicaSet', 'OtherOwner', 'kopf.dev/xyz'],
    ['OtherKind', 'Deployment', 'kopf.dev/xyz'],
  ])('marks keys of a %s owned by a %s as Kopf does', (kind, ownerKind, expected) => {
    const dev = new AnnotationKeys({ prefix: 'kopf.dev', v1: true });
    const owner = { apiVersion: 'apps/v1', kind: ownerKind, name: 'd', uid: 'u' };
    const body = { kind, metadata: { ownerReferences: [owner] } };
    expect(dev.keysFor('xyz', body)).toEqual([expected]);
    expect(markKey('xyz', body)).toBe(expected.slice('kopf.dev/'.length));
  });
});

describe('AnnotationKeys', () => {
  it('refuses an empty prefix with a message naming the fix', () => {
    expect(() => new AnnotationKeys({ prefix: '', v1: true })).toThrow(AnnotationPrefixError);
    expect(() => new AnnotationKeys({ prefix: '', v1: true })).toThrow(/Pass a prefix/);
  });
});
