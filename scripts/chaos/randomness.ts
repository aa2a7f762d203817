/**
 * Seeded randomness for the chaos run: every random choice (the workload, the
 * moments of kills and cuts, which handler attempts fail, which writes the server
 * fails) is a hash of the run's seed and of what the choice is about, so a failing
 * run can be planned again exactly with `CHAOS_SEED=<seed>`. Hashing by key (not a
 * sequence) keeps a choice stable even when other choices change in number or order,
 * e.g. in another process that only knows the seed.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A part of what a random choice is about: a name, an object, a number. */
export type RandomKey = string | number;

/** Random fractions and integers derived from one seed. */
export class Randomness {
  /** The seed, printed by the run so that it can be repeated. */
  readonly seed: string;

  constructor(seed: string) {
    this.seed = seed;
  }

  /** A fraction in [0, 1) fixed by the seed and the keys. */
  fraction(...keys: readonly RandomKey[]): number {
    const digest = createHash('sha256')
      .update(JSON.stringify([this.seed, ...keys]))
      .digest();
    return digest.readUInt32BE(0) / 2 ** 32;
  }

  /** True with probability `p`, fixed by the seed and the keys. */
  chance(p: number, ...keys: readonly RandomKey[]): boolean {
    return this.fraction(...keys) < p;
  }

  /** An integer from `min` to `max` (both included), fixed by the seed and the keys. */
  integer(min: number, max: number, ...keys: readonly RandomKey[]): number {
    return min + Math.floor(this.fraction(...keys) * (max - min + 1));
  }

  /** A number in [min, max), fixed by the seed and the keys. */
  between(min: number, max: number, ...keys: readonly RandomKey[]): number {
    return min + this.fraction(...keys) * (max - min);
  }
}

/** A fresh seed: 8 hexadecimal digits, short enough to type. */
export function newSeed(): string {
  return randomBytes(4).toString('hex');
}
