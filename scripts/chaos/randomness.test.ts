import { describe, expect, it } from 'vitest';
import { newSeed, Randomness } from './randomness.js';

describe('Randomness', () => {
  it('gives the same choices for the same seed and keys, other ones for another seed', () => {
    const one = new Randomness('abc');
    const again = new Randomness('abc');
    const other = new Randomness('abd');
    const keys = Array.from({ length: 20 }, (_, i) => one.fraction('kill', i));
    expect(Array.from({ length: 20 }, (_, i) => again.fraction('kill', i))).toEqual(keys);
    expect(Array.from({ length: 20 }, (_, i) => other.fraction('kill', i))).not.toEqual(keys);
  });

  it('keeps fractions in [0, 1) and integers within their bounds, reaching both ends', () => {
    const random = new Randomness('bounds');
    const integers = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const fraction = random.fraction('f', i);
      expect(fraction).toBeGreaterThanOrEqual(0);
      expect(fraction).toBeLessThan(1);
      integers.add(random.integer(2, 5, 'i', i));
    }
    expect([...integers].sort()).toEqual([2, 3, 4, 5]);
  });

  it('makes chance() come true about as often as asked', () => {
    const random = new Randomness('chance');
    let hits = 0;
    for (let i = 0; i < 4000; i++) if (random.chance(0.05, 'write', i)) hits += 1;
    expect(hits).toBeGreaterThan(120);
    expect(hits).toBeLessThan(280);
  });

  it('makes new seeds of 8 hexadecimal digits', () => {
    expect(newSeed()).toMatch(/^[0-9a-f]{8}$/);
    expect(newSeed()).not.toBe(newSeed());
  });
});
