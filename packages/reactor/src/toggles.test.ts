import { describe, expect, it } from 'vitest';
import { ToggleSet } from './toggles.js';

describe('ToggleSet', () => {
  it('is on while any toggle is on, and tells listeners when that flips', () => {
    const set = new ToggleSet();
    const flips: boolean[] = [];
    set.onChange((on) => flips.push(on));
    const a = set.make('a', false);
    const b = set.make('b', true);
    expect(set.isOn).toBe(true);
    expect(set.reasons).toEqual(['b']);
    a.turnTo(true);
    b.turnTo(false);
    expect(set.isOn).toBe(true);
    a.turnTo(false);
    expect(set.isOn).toBe(false);
    expect(flips).toEqual([true, false]);
  });

  it('dropping an "on" toggle turns the set off', () => {
    const set = new ToggleSet();
    const held = set.make('listing');
    expect(set.isOn).toBe(true);
    set.drop(held);
    expect(set.isOn).toBe(false);
  });

  it('waits for a state, resolving at once when it holds and false when aborted', async () => {
    const set = new ToggleSet();
    expect(await set.waitFor(false)).toBe(true);
    const toggle = set.make('x');
    const waiting = set.waitFor(false);
    toggle.turnTo(false);
    expect(await waiting).toBe(true);
    toggle.turnTo(true);
    const abort = new AbortController();
    const aborted = set.waitFor(false, abort.signal);
    abort.abort();
    expect(await aborted).toBe(false);
  });
});
