import { describe, expect, it } from 'vitest';
import { applyPatch, jsonPatch, MAX_JSON_PATCH_OPERATIONS, mergePatch } from './patching.js';
import { StatusError } from './statuses.js';

function codeOf(action: () => unknown): number | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof StatusError ? error.code : -1;
  }
  return undefined;
}

const target = { group: 'kopf.dev', version: 'v1', kind: 'KopfExample' };

describe('mergePatch (RFC 7386)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('merges %j with %j into %j', (original, patch, expected) => {
    expect(mergePatch(original, patch)).toEqual(expected);
  });

  it('does not mutate its inputs', () => {
    const original = { a: { b: 1 } };
    mergePatch(original, { a: { b: 2 } });
    expect(original).toEqual({ a: { b: 1 } });
  });
});

describe('jsonPatch (RFC 6902)', () => {
  it('applies operations in order', () => {
    const result = jsonPatch({ metadata: { labels: { a: '1' } }, spec: {} }, [
      { op: 'add', path: '/metadata/labels/b', value: '2' },
      { op: 'remove', path: '/metadata/labels/a' },
      { op: 'copy', from: '/metadata/labels', path: '/spec/copied' },
    ]);
    expect(result).toEqual({ metadata: { labels: { b: '2' } }, spec: { copied: { b: '2' } } });
  });

  it('fails a test operation with 422', () => {
    expect(
      codeOf(() =>
        jsonPatch({ metadata: { resourceVersion: '2' } }, [
          { op: 'test', path: '/metadata/resourceVersion', value: '1' },
        ]),
      ),
    ).toBe(422);
  });

  it('does not create missing parents on add (422)', () => {
    expect(codeOf(() => jsonPatch({}, [{ op: 'add', path: '/metadata/finalizers/0', value: 'x' }]))).toBe(
      422,
    );
  });

  it('answers 400 for a malformed patch and 413 for too many operations', () => {
    expect(codeOf(() => jsonPatch({}, { op: 'add' }))).toBe(400);
    expect(codeOf(() => jsonPatch({}, ['x']))).toBe(400);
    const many = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
      op: 'test',
      path: '',
      value: {},
    }));
    expect(codeOf(() => jsonPatch({}, many))).toBe(413);
  });
});

describe('applyPatch', () => {
  it('uses the strategic merge function when given, and refuses non-object merge bodies', () => {
    const strategic = (original: Record<string, unknown>) => ({ ...original, merged: true });
    expect(applyPatch('strategic', { a: 1 }, { b: 2 }, target, strategic)).toEqual({ a: 1, merged: true });
    expect(codeOf(() => applyPatch('merge', { a: 1 }, [1], target, undefined))).toBe(400);
  });
});
