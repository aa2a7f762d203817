import { describe, expect, it } from 'vitest';
import { ChaosArgumentsError, parseChaosArguments, SIZES } from './sizes.js';

describe('parseChaosArguments', () => {
  it('runs the full size with a fresh seed by default', () => {
    const parsed = parseChaosArguments([], {});
    expect(parsed.sizeName).toBe('full');
    expect(parsed.size).toBe(SIZES.full);
    expect(parsed.seed).toMatch(/^[0-9a-f]{8}$/);
    expect(parsed.keep).toBe(false);
  });

  it('takes the seed from $CHAOS_SEED, and --seed over it', () => {
    expect(parseChaosArguments([], { CHAOS_SEED: 'abc' }).seed).toBe('abc');
    expect(parseChaosArguments(['--seed', 'def'], { CHAOS_SEED: 'abc' }).seed).toBe('def');
  });

  it('takes the size, the output file and --keep', () => {
    const parsed = parseChaosArguments(['--size', 'small', '--output', 'x.json', '--keep'], {});
    expect(parsed).toMatchObject({ sizeName: 'small', output: 'x.json', keep: true });
    expect(parsed.size.objects).toBeLessThan(SIZES.full.objects);
  });

  it('refuses unknown sizes, unknown arguments and missing values, naming them', () => {
    expect(() => parseChaosArguments(['--size', 'huge'], {})).toThrow(/unknown size 'huge'/);
    expect(() => parseChaosArguments(['--fast'], {})).toThrow(ChaosArgumentsError);
    expect(() => parseChaosArguments(['--seed'], {})).toThrow(/--seed needs a value/);
  });
});

describe('SIZES', () => {
  it("meet the issue's minimums: 500 objects, 5 kills, 20 cuts, 5% failed writes in full; 2+ kills and 5+ cuts in small", () => {
    expect(SIZES.full.objects).toBeGreaterThanOrEqual(500);
    expect(SIZES.full.kills).toBeGreaterThanOrEqual(5);
    expect(SIZES.full.drops + SIZES.full.compactions).toBeGreaterThanOrEqual(20);
    expect(SIZES.full.writeFailureRatio).toBe(0.05);
    expect(SIZES.small.kills).toBeGreaterThanOrEqual(2);
    expect(SIZES.small.drops + SIZES.small.compactions).toBeGreaterThanOrEqual(5);
  });
});
