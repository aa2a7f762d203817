import { describe, expect, it } from 'vitest';
import { diffValues, isMapping, pythonEquals } from './diffing.js';
import type { Diff } from './diffs.js';

const tuples = (d: Diff) => d.map((item) => [item.operation, [...item.field], item.old, item.new]);
const operations = (d: Diff) => d.map((item) => item.operation);

describe('diffValues', () => {
  const old = { kept: 1, gone: 2, nested: { x: 'a', list: [1] } };
  const fresh = { kept: 1, nested: { x: 'b', list: [1, 2] }, born: 3 };

  it('walks objects in additions, removals, changes order, under the given path', () => {
    const walked = diffValues(old, fresh, ['spec']);
    expect(walked.every((item) => Object.isFrozen(item) && Object.isFrozen(item.field))).toBe(true);
    expect(Object.isFrozen(walked)).toBe(true);
    expect(tuples(walked)).toEqual([
      ['add', ['spec', 'born'], undefined, 3],
      ['remove', ['spec', 'gone'], 2, undefined],
      ['change', ['spec', 'nested', 'x'], 'a', 'b'],
      ['change', ['spec', 'nested', 'list'], [1], [1, 2]],
    ]);
  });

  it('leaves out the one-sided keys of a side that does not count', () => {
    expect(operations(diffValues(old, fresh, [], { added: false, removed: true }))).toEqual([
      'remove',
      'change',
      'change',
    ]);
    expect(operations(diffValues(old, fresh, [], { added: true, removed: false }))).toEqual([
      'add',
      'change',
      'change',
    ]);
  });

  it('treats null as absent and compares by Python equality', () => {
    expect(diffValues({ a: null, b: true, c: [1] }, { b: 1, c: [true] })).toEqual([]);
    expect(tuples(diffValues({ a: null }, { a: 0 }))).toEqual([['add', ['a'], undefined, 0]]);
  });
});

describe('isMapping', () => {
  it('accepts JSON objects only', () => {
    expect([{}, { a: 1 }, [], null, 'x', 1, undefined].map(isMapping)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('pythonEquals', () => {
  it('compares as Python does on parsed JSON', () => {
    expect(pythonEquals(true, 1)).toBe(true);
    expect(pythonEquals(false, 0)).toBe(true);
    expect(pythonEquals(null, 0)).toBe(false);
    expect(pythonEquals('1', 1)).toBe(false);
    expect(pythonEquals([1, { a: [2] }], [1, { a: [2] }])).toBe(true);
    expect(pythonEquals({ a: null }, {})).toBe(false);
    expect(pythonEquals([], {})).toBe(false);
  });
});
