import { afterEach, describe, expect, it } from 'vitest';
import {
  allAtOnce,
  asap,
  getDefaultLifecycle,
  lifecycles,
  oneByOne,
  randomized,
  setDefaultLifecycle,
  shuffled,
} from './lifecycles.js';

const handlers = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
const state = new Map([
  ['a', { retries: 2 }],
  ['b', { retries: 1 }],
  ['c', { retries: 1 }],
]);

describe('lifecycles', () => {
  afterEach(() => setDefaultLifecycle(undefined));

  it('asap picks the fewest retries, ties in registration order, missing state as 0', () => {
    expect(asap(handlers, { state }).map((h) => h.id)).toEqual(['b']);
    expect(asap([...handlers, { id: 'new' }], { state }).map((h) => h.id)).toEqual(['new']);
    expect(asap([], { state })).toEqual([]);
  });

  it('oneByOne and allAtOnce keep registration order', () => {
    expect(oneByOne(handlers, { state }).map((h) => h.id)).toEqual(['a']);
    expect(allAtOnce(handlers, { state }).map((h) => h.id)).toEqual(['a', 'b', 'c']);
  });

  it('randomized and shuffled use the given randomness', () => {
    expect(randomized(handlers, { state, random: () => 0.99 }).map((h) => h.id)).toEqual(['c']);
    expect(randomized([], { state, random: () => 0.5 })).toEqual([]);
    const order = shuffled(handlers, { state, random: () => 0 }).map((h) => h.id);
    expect(order).toEqual(['b', 'c', 'a']);
    expect([...order].sort()).toEqual(['a', 'b', 'c']);
  });

  it('has a replaceable default, asap unless changed', () => {
    expect(getDefaultLifecycle()).toBe(asap);
    setDefaultLifecycle(lifecycles.allAtOnce);
    expect(getDefaultLifecycle()).toBe(allAtOnce);
    setDefaultLifecycle(undefined);
    expect(getDefaultLifecycle()).toBe(asap);
  });
});
