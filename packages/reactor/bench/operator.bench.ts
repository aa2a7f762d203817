/**
 * `npm run bench -- operator`: the operator benchmarks (see `operator-suite.ts`).
 * `npm run bench` starts every benchmark with plain tsx, which would load our
 * packages from their built output; this launcher runs the suite from the sources
 * instead (the `@kopf/source` condition, as the tests do), so it needs no build and
 * measures the code as it is. `KOPF_BENCH_QUICK=1` for small sizes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_EXEC_ARGV } from '../../../scripts/bench/child-processes.js';

const suite = fileURLToPath(new URL('./operator-suite.ts', import.meta.url));
const result = spawnSync(process.execPath, [...CHILD_EXEC_ARGV, suite], { stdio: 'inherit' });
if (result.error) console.error(`Starting ${suite} failed: ${result.error.message}`);
process.exitCode = result.status ?? 1;
