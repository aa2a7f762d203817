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
