import { describe, expect, it } from 'vitest';
import { type Diff, parseField, reduceDiff, resolveField } from './diffs.js';

describe('parseField', () => {
  it('splits dotted strings and copies arrays', () => {
    expect(parseField('spec.template.metadata')).toEqual(['spec', 'template', 'metadata']);
    expect(parseField(['metadata', 'labels', 'app.kubernetes.io/name'])).toEqual([
      'metadata',
      'labels',
      'app.kubernetes.io/name',
    ]);
  });

  it('splits dotted fields and keeps paths', () => {
    expect([parseField('status.kopf.progress'), parseField(['a.b', 'c']), parseField(undefined)]).toEqual([
      ['status', 'kopf', 'progress'],
      ['a.b', 'c'],
      [],
    ]);
  });

  it('rejects empty parts and non-strings', () => {
    expect(() => parseField('spec..x')).toThrow(/no empty parts/);
    expect(() => parseField('')).toThrow(/no empty parts/);
    expect(() => parseField([1] as unknown as string[])).toThrow(/dotted string or an array of strings/);
  });
});

describe('resolveField', () => {
  const body = { spec: { size: 3, nothing: null, list: [1] }, status: 'corrupted' };

  it('reads nested values, including null', () => {
    expect(resolveField(body, ['spec', 'size'])).toBe(3);
    expect(resolveField(body, ['spec', 'nothing'])).toBeNull();
  });

  it('reads absent, non-object and array steps as undefined', () => {
    expect(resolveField(body, ['spec', 'missing'])).toBeUndefined();
    expect(resolveField(body, ['status', 'phase'])).toBeUndefined();
    expect(resolveField(body, ['spec', 'list', '0'])).toBeUndefined();
    expect(resolveField(undefined, ['spec'])).toBeUndefined();
  });

  it('finds nothing through absent or non-object parents', () => {
    const body = { spec: { list: [1], text: 'x', nested: { deep: 0 } } };
    expect([
      resolveField(body, ['spec', 'nested', 'deep']),
      resolveField(body, ['spec', 'text', 'x']),
      resolveField(body, ['spec', 'list', '0']),
      resolveField(body, ['status', 'x']),
      resolveField(body, ['toString']),
    ]).toEqual([0, undefined, undefined, undefined, undefined]);
  });
});

describe('reduceDiff', () => {
  it('re-roots items under the field and drops unrelated ones', () => {
    const diff: Diff = [
      { operation: 'change', field: ['spec', 'field'], old: 'value', new: 'changed' },
      { operation: 'add', field: ['metadata', 'labels', 'x'], old: undefined, new: 'y' },
    ];
    expect(reduceDiff(diff, ['spec'])).toEqual([
      { operation: 'change', field: ['field'], old: 'value', new: 'changed' },
    ]);
    expect(reduceDiff(diff, ['spec', 'field'])).toEqual([
      { operation: 'change', field: [], old: 'value', new: 'changed' },
    ]);
  });

  it('expands an item above the field into the field own changes', () => {
    const diff: Diff = [
      { operation: 'add', field: ['spec'], old: undefined, new: { field: 'value', other: 1 } },
      { operation: 'change', field: [], old: { a: { b: 1, c: 2 } }, new: { a: { b: 1, d: [3] } } },
    ];
    expect(reduceDiff(diff, ['spec', 'field'])).toEqual([
      { operation: 'add', field: [], old: undefined, new: 'value' },
    ]);
    expect(reduceDiff(diff.slice(1), ['a'])).toEqual([
      { operation: 'add', field: ['d'], old: undefined, new: [3] },
      { operation: 'remove', field: ['c'], old: 2, new: undefined },
    ]);
  });

  it('compares lists whole and ignores equal values', () => {
    const diff: Diff = [
      {
        operation: 'change',
        field: [],
        old: { items: [1, 2], same: [1] },
        new: { items: [1, 3], same: [1] },
      },
    ];
    expect(reduceDiff(diff, [])).toEqual(diff);
    expect(
      reduceDiff([{ operation: 'change', field: ['spec'], old: { a: [1] }, new: { a: [1] } }], ['spec', 'a']),
    ).toEqual([]);
  });
});

// Kopf's tests/diffs/test_reduction.py.
const DIFF: Diff = [
  { operation: 'add', field: ['key1'], old: undefined, new: 'new1' },
  { operation: 'change', field: ['key2'], old: 'old2', new: 'new2' },
  { operation: 'add', field: ['key2', 'suba'], old: 'olda', new: 'newa' },
  { operation: 'remove', field: ['key2', 'subb'], old: 'oldb', new: 'newb' },
  { operation: 'remove', field: ['key3'], old: 'old3', new: undefined },
  {
    operation: 'change',
    field: ['key4'],
    old: { suba: 'olda', subc: 'oldc' },
    new: { subb: 'newb', subc: 'newc' },
  },
];
const tuples = (d: Diff) => d.map((item) => [item.operation, [...item.field], item.old, item.new]);

describe('reduceDiff as Kopf reduces', () => {
  it('selects everything for the root', () => {
    expect(reduceDiff(DIFF, [])).toEqual(DIFF);
  });

  it('selects the items under a field, relative to it', () => {
    expect(tuples(reduceDiff(DIFF, ['key2']))).toEqual([
      ['change', [], 'old2', 'new2'],
      ['add', ['suba'], 'olda', 'newa'],
      ['remove', ['subb'], 'oldb', 'newb'],
    ]);
    expect(tuples(reduceDiff(DIFF, 'key2.suba'))).toEqual([['add', [], 'olda', 'newa']]);
  });

  it.each([
    [['nonexistent-key']],
    [['key1', 'nonexistent-key']],
    [['key2', 'nonexistent-key']],
    [['key3', 'nonexistent-key']],
    [['key4', 'nonexistent-key']],
    [['key4', 'suba', 'nonexistent-key']],
    [['key4', 'nonexistent-dict', 'nonexistent-key']],
  ])('selects nothing for %j', (path) => {
    expect(reduceDiff(DIFF, path)).toEqual([]);
  });

  it('dives into a changed parent for a deeper field', () => {
    expect(tuples(reduceDiff(DIFF, ['key4', 'subb']))).toEqual([['add', [], undefined, 'newb']]);
    expect(tuples(reduceDiff(DIFF, ['key4', 'suba']))).toEqual([['remove', [], 'olda', undefined]]);
    expect(tuples(reduceDiff(DIFF, ['key4', 'subc']))).toEqual([['change', [], 'oldc', 'newc']]);
  });

  it('re-diffs with Python equality and null as absent', () => {
    const diff: Diff = [
      { operation: 'change', field: ['spec'], old: { a: true, b: null }, new: { a: 1, b: 'x' } },
    ];
    expect(reduceDiff(diff, ['spec', 'a'])).toEqual([]);
    expect(tuples(reduceDiff(diff, 'spec.b'))).toEqual([['add', [], undefined, 'x']]);
  });

  it('returns frozen items', () => {
    const reduced = reduceDiff(DIFF, ['key2']);
    expect([
      Object.isFrozen(reduced),
      Object.isFrozen(reduced[0]),
      Object.isFrozen(reduced[0]?.field),
    ]).toEqual([true, true, true]);
  });
});
