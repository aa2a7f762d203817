import { describe, expect, it } from 'vitest';
import type { Body } from './bodies.js';
import {
  ABSENT,
  allOf,
  anyOf,
  type FilterTarget,
  type HandlerFilters,
  matchFilters,
  noneOf,
  not,
  PRESENT,
} from './filters.js';

const NONE: HandlerFilters = {
  labels: undefined,
  annotations: undefined,
  when: undefined,
  field: undefined,
  value: undefined,
  old: undefined,
  new: undefined,
  fieldNeedsChange: false,
};

const body: Body = {
  metadata: { name: 'x', labels: { app: 'web', empty: '' }, annotations: { note: 'yes' } },
  spec: { field: 'value', size: 3, items: ['a'] },
};

function matches(filters: Partial<HandlerFilters>, target: FilterTarget = { body }): boolean {
  return matchFilters({ ...NONE, ...filters }, target, () => ({ name: 'x' }));
}

describe('matchFilters: labels and annotations', () => {
  it.each([
    [{ app: 'web' }, true],
    [{ app: 'db' }, false],
    [{ app: PRESENT }, true],
    [{ empty: PRESENT }, true],
    [{ empty: '' }, true],
    [{ missing: PRESENT }, false],
    [{ missing: ABSENT }, true],
    [{ app: ABSENT }, false],
    [{ missing: 'x' }, false],
    [{ app: 'web', missing: ABSENT }, true],
  ] as const)('labels %j → %s', (labels, expected) => {
    expect(matches({ labels })).toBe(expected);
  });

  it('passes the value (or undefined) and the kwargs to callbacks', () => {
    const seen: unknown[] = [];
    const callback = (value: string | undefined, kwargs: { name: string }): boolean => {
      seen.push([value, kwargs.name]);
      return true;
    };
    expect(matches({ annotations: { note: callback, other: callback } as never })).toBe(true);
    expect(seen).toEqual([
      ['yes', 'x'],
      [undefined, 'x'],
    ]);
  });

  it('reads absent metadata as empty', () => {
    expect(matches({ labels: { a: ABSENT } }, { body: {} })).toBe(true);
    expect(matches({ labels: { a: PRESENT } }, { body: {} })).toBe(false);
  });
});

describe('matchFilters: field and value on the current body', () => {
  it.each([
    [{ field: ['spec', 'field'] }, true],
    [{ field: ['spec', 'missing'] }, false],
    [{ field: ['spec', 'field'], value: 'value' }, true],
    [{ field: ['spec', 'field'], value: 'other' }, false],
    [{ field: ['spec', 'items'], value: ['a'] }, true],
    [{ field: ['spec', 'missing'], value: ABSENT }, true],
    [{ field: ['spec', 'size'], value: PRESENT }, true],
    [{ field: ['spec', 'size'], value: (v: unknown) => Number(v) > 2 }, true],
  ] as const)('%j → %s', (filters, expected) => {
    expect(matches(filters as Partial<HandlerFilters>)).toBe(expected);
  });
});

describe('matchFilters: changing causes', () => {
  const change = (old: unknown, fresh: unknown): FilterTarget => ({
    body,
    change: { old: { spec: old }, new: { spec: fresh } },
  });

  it('matches a value if either the old or the new one matches', () => {
    const filters = { field: ['spec', 'x'], value: 'a' } as const;
    expect(matches(filters, change({ x: 'a' }, { x: 'b' }))).toBe(true);
    expect(matches(filters, change({ x: 'b' }, { x: 'a' }))).toBe(true);
    expect(matches(filters, change({ x: 'b' }, { x: 'c' }))).toBe(false);
  });

  it('requires the field to have changed for update/field handlers only', () => {
    const same = change({ x: 1 }, { x: 1 });
    expect(matches({ field: ['spec', 'x'], fieldNeedsChange: true }, same)).toBe(false);
    expect(matches({ field: ['spec', 'x'], fieldNeedsChange: false }, same)).toBe(true);
    expect(matches({ field: ['spec', 'x'], fieldNeedsChange: true }, change({}, { x: 1 }))).toBe(true);
  });

  it('checks old and new separately', () => {
    const target = change({ x: 'a' }, { x: 'b' });
    const field = ['spec', 'x'];
    expect(matches({ field, old: 'a', new: 'b', fieldNeedsChange: true }, target)).toBe(true);
    expect(matches({ field, old: 'b', fieldNeedsChange: true }, target)).toBe(false);
    expect(matches({ field, old: ABSENT, new: PRESENT }, change({}, { x: 1 }))).toBe(true);
    expect(matches({ field, new: (v: unknown) => v === 'b' } as Partial<HandlerFilters>, target)).toBe(true);
  });

  it('skips the change checks when prematching (for the finalizer decision)', () => {
    const filters = { ...NONE, field: ['spec', 'x'], fieldNeedsChange: true, old: 'zzz' };
    const target = change({ x: 1 }, { x: 1 });
    expect(matchFilters(filters, target, () => ({}), { prematch: true })).toBe(true);
    expect(matchFilters(filters, target, () => ({}))).toBe(false);
  });
});

describe('matchFilters: when', () => {
  it('runs last, only when everything else matched, and builds kwargs once', () => {
    let built = 0;
    let called = 0;
    const when = (): boolean => {
      called += 1;
      return true;
    };
    const kwargs = (): object => {
      built += 1;
      return {};
    };
    const labelCallback = (): boolean => true;
    const filters = { ...NONE, when, labels: { app: labelCallback } };
    expect(matchFilters(filters, { body }, kwargs)).toBe(true);
    expect(matchFilters({ ...filters, labels: { app: 'nope' } }, { body }, kwargs)).toBe(false);
    expect([called, built]).toEqual([1, 1]);
  });

  it('does not build kwargs when no callback needs them', () => {
    let built = 0;
    matchFilters({ ...NONE, labels: { app: 'web' } }, { body }, () => {
      built += 1;
      return {};
    });
    expect(built).toBe(0);
  });
});

describe('combinators', () => {
  const yes = (): boolean => true;
  const no = (): boolean => false;

  it('negate and combine callbacks as Kopf does', () => {
    expect([not(yes)(), not(no)()]).toEqual([false, true]);
    expect([allOf([yes, yes])(), allOf([yes, no])(), allOf([])()]).toEqual([true, false, true]);
    expect([anyOf([no, yes])(), anyOf([no])(), anyOf([])()]).toEqual([true, false, false]);
    expect([noneOf([no, no])(), noneOf([no, yes])(), noneOf([])()]).toEqual([true, false, true]);
  });

  it('pass their arguments through', () => {
    const isA = (value: string | undefined): boolean => value === 'a';
    expect([anyOf([isA])('a'), anyOf([isA])('b'), not(isA)('b')]).toEqual([true, false, true]);
  });
});
