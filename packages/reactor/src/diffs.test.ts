import type { Diff } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import type { DiffScope } from './diffs.js';
import { diff } from './diffs.js';

const SCOPES: DiffScope[] = ['full', 'left', 'right'];
const tuples = (d: Diff) => d.map((item) => [item.operation, [...item.field], item.old, item.new]);

describe('diff', () => {
  it.each(SCOPES)('treats root null/absent as add, remove, or nothing (%s)', (scope) => {
    expect(tuples(diff(null, 'b', { scope }))).toEqual([['add', [], undefined, 'b']]);
    expect(tuples(diff('a', undefined, { scope }))).toEqual([['remove', [], 'a', undefined]]);
    expect(diff(null, undefined, { scope })).toEqual([]);
  });

  it.each(SCOPES)('compares scalars, strings and lists whole (%s)', (scope) => {
    expect(diff(100, 100, { scope })).toEqual([]);
    expect(tuples(diff(100, 200, { scope }))).toEqual([['change', [], 100, 200]]);
    expect(tuples(diff('hello', 'world', { scope }))).toEqual([['change', [], 'hello', 'world']]);
    expect(diff([100, 200, 300], [100, 200, 300], { scope })).toEqual([]);
    expect(tuples(diff([100, 200], [100, 666], { scope }))).toEqual([['change', [], [100, 200], [100, 666]]]);
  });

  it('ignores key order and recurses into objects', () => {
    expect(diff({ hello: 'world', key: 'val' }, { key: 'val', hello: 'world' })).toEqual([]);
    expect(
      tuples(diff({ main: { hello: 'world', key: 'old' } }, { main: { hello: 'world', key: 'new' } })),
    ).toEqual([['change', ['main', 'key'], 'old', 'new']]);
  });

  it('notices added keys except in the left scope, removed ones except in the right scope', () => {
    const small = { hello: 'world' };
    const large = { hello: 'world', key: 'val' };
    expect(tuples(diff(small, large))).toEqual([['add', ['key'], undefined, 'val']]);
    expect(diff(small, large, { scope: 'left' })).toEqual([]);
    expect(tuples(diff(large, small))).toEqual([['remove', ['key'], 'val', undefined]]);
    expect(diff(large, small, { scope: 'right' })).toEqual([]);
  });

  it('lists additions, then removals, then changes', () => {
    const d = diff({ a: 100, b: 200 }, { b: 300, c: 400 });
    expect(tuples(d)).toEqual([
      ['add', ['c'], undefined, 400],
      ['remove', ['a'], 100, undefined],
      ['change', ['b'], 200, 300],
    ]);
  });

  it('treats a null field as absent', () => {
    expect(diff({ a: null }, {})).toEqual([]);
    expect(tuples(diff({ a: null }, { a: 1 }))).toEqual([['add', ['a'], undefined, 1]]);
    expect(tuples(diff({ metadata: {} }, { metadata: { labels: 'LABEL' } }))).toEqual([
      ['add', ['metadata', 'labels'], undefined, 'LABEL'],
    ]);
  });

  it('prefixes fields with the given path', () => {
    expect(tuples(diff({ size: '42G' }, { size: '76G' }, { path: ['spec'] }))).toEqual([
      ['change', ['spec', 'size'], '42G', '76G'],
    ]);
  });

  it('returns frozen items', () => {
    const d = diff({ a: 1 }, { a: 2 });
    expect([Object.isFrozen(d), Object.isFrozen(d[0]), Object.isFrozen(d[0]?.field)]).toEqual([
      true,
      true,
      true,
    ]);
  });
});
