/**
 * The operator benchmarks (run through `operator.bench.ts`): throughput and latency
 * (of creations and updates) against the client-node baseline, API calls per object, memory with 0/10,000/
 * 50,000 watched objects, and start-up over 10,000 existing objects. Prints the
 * tables and writes every figure as JSON to `$KOPF_BENCH_OUTPUT`.
 *
 * `KOPF_BENCH_QUICK=1` runs small sizes (for development); the figures of record
 * come from the full sizes. Exits non-zero only when a scenario fails to run.
 */
import { writeFileSync } from 'node:fs';
import { type FootprintResult, measureFootprint, OBJECT_JSON_BYTES } from './footprint.js';
import { printBursts, printCalls, printFootprints, printIdle, printTargets } from './reporting.js';
import { judgeTargets } from './targets.js';
import { type BurstResult, type IdleResult, measureBurst, measureIdle } from './throughput.js';

const QUICK = process.env.KOPF_BENCH_QUICK === '1';
const SIZES = QUICK
  ? { bursts: [200, 1000], idle: 30, footprints: [0, 1000, 5000], startup: 1000 }
  : { bursts: [1000, 10_000], idle: 200, footprints: [0, 10_000, 50_000], startup: 10_000 };

function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

const bursts: BurstResult[] = [];
for (const count of SIZES.bursts) {
  for (const actor of ['client-node', 'kopf-ts'] as const) {
    progress(`burst of ${count} objects: ${actor}`);
    bursts.push(await measureBurst(actor, count));
  }
}
const idle: IdleResult[] = [];
for (const actor of ['client-node', 'kopf-ts'] as const) {
  progress(`${SIZES.idle} objects created, then updated, one at a time: ${actor}`);
  idle.push(...(await measureIdle(actor, SIZES.idle)));
}
const footprints: FootprintResult[] = [];
for (const count of SIZES.footprints) {
  progress(`start-up and memory over ${count} existing objects`);
  footprints.push(await measureFootprint(count, count === SIZES.startup));
}

printBursts(bursts);
printIdle(idle, bursts);
printCalls(bursts);
const { perObject, startup } = printFootprints(footprints, SIZES.startup, OBJECT_JSON_BYTES);
const targets = judgeTargets({ bursts, idle, footprints, startupObjects: SIZES.startup });
printTargets(targets);

const output = process.env.KOPF_BENCH_OUTPUT;
if (output) {
  const figures = {
    quick: QUICK,
    bursts,
    idle,
    footprints,
    perObject,
    startup,
    targets,
    objectJsonBytes: OBJECT_JSON_BYTES,
  };
  writeFileSync(output, `${JSON.stringify(figures, null, 2)}\n`);
}
