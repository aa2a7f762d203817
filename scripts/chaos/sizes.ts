/**
 * How big a chaos run is: `full` for `npm run chaos` (the figures: 500
 * objects, at least 5 kills and 20 watch cuts), `small` for the run inside
 * `npm test` (about a minute). The command line picks the size and the seed:
 * `--size small`, `--seed <hex>` (or `$CHAOS_SEED`), `--output <file.json>`, `--keep`,
 * `--verbose` (the operator logs at debug level).
 */
import { newSeed } from './randomness.js';

/** A named size. */
export type ChaosSizeName = 'full' | 'small';

/** The knobs of a run. */
export interface ChaosSize {
  readonly objects: number;
  /** Operator processes killed with SIGKILL (and restarted). */
  readonly kills: number;
  /** Moments when every watch stream is cut. */
  readonly drops: number;
  /** Moments when the watch history is compacted (resumes get 410 Gone) and the streams cut. */
  readonly compactions: number;
  /** How long objects are created, changed and deleted while the faults happen. */
  readonly windowSeconds: number;
  /** How long the run then waits for every object to be handled. */
  readonly settleSeconds: number;
  /** The share of the operator's writes the server fails with 500 or 429. */
  readonly writeFailureRatio: number;
  /** The share of handler attempts that fail temporarily (and are retried). */
  readonly handlerFailureRatio: number;
  /** The share of objects deleted during the run. */
  readonly deleteRatio: number;
  /** At most this many updates per object. */
  readonly maxUpdates: number;
}

/** The sizes by name. */
export const SIZES: Readonly<Record<ChaosSizeName, ChaosSize>> = {
  full: {
    objects: 500,
    kills: 6,
    drops: 24,
    compactions: 4,
    windowSeconds: 60,
    settleSeconds: 240,
    writeFailureRatio: 0.05,
    handlerFailureRatio: 0.1,
    deleteRatio: 0.4,
    maxUpdates: 3,
  },
  small: {
    objects: 60,
    kills: 3,
    drops: 6,
    compactions: 2,
    windowSeconds: 20,
    settleSeconds: 40,
    writeFailureRatio: 0.05,
    handlerFailureRatio: 0.1,
    deleteRatio: 0.4,
    maxUpdates: 3,
  },
};

/** What the command line asks for. */
export interface ChaosArguments {
  readonly sizeName: ChaosSizeName;
  readonly size: ChaosSize;
  readonly seed: string;
  /** Write the counts and violations as JSON here. */
  readonly output: string | undefined;
  /** Keep the run's folder (side stores, operator logs) even when it passes. */
  readonly keep: boolean;
  /** The operator logs at debug level. */
  readonly verbose: boolean;
}

/** Invalid command-line arguments. */
export class ChaosArgumentsError extends Error {
  override name = 'ChaosArgumentsError';
}

/**
 * Parses `--size full|small`, `--seed <seed>`, `--output <path>`, `--keep`, `--verbose`; the seed
 * defaults to `$CHAOS_SEED`, then to a fresh one.
 *
 * @throws ChaosArgumentsError naming the bad argument and the accepted ones.
 */
export function parseChaosArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ChaosArguments {
  let sizeName: ChaosSizeName = 'full';
  let seed = env.CHAOS_SEED || undefined;
  let output: string | undefined;
  let keep = false;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined)
        throw new ChaosArgumentsError(`Parsing the chaos arguments failed: ${argument} needs a value.`);
      return next;
    };
    if (argument === '--size') {
      const name = value();
      if (name !== 'full' && name !== 'small') {
        throw new ChaosArgumentsError(
          `Parsing the chaos arguments failed: unknown size '${name}'; use full or small.`,
        );
      }
      sizeName = name;
    } else if (argument === '--seed') seed = value();
    else if (argument === '--output') output = value();
    else if (argument === '--keep') keep = true;
    else if (argument === '--verbose') verbose = true;
    else {
      throw new ChaosArgumentsError(
        `Parsing the chaos arguments failed: unknown argument '${argument}'; use --size full|small, --seed <seed>, --output <file>, --keep, --verbose.`,
      );
    }
  }
  return { sizeName, size: SIZES[sizeName], seed: seed ?? newSeed(), output, keep, verbose };
}
