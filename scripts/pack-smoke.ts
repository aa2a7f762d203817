/**
 * The pack smoke test: do the packages work when installed from their tarballs,
 * one by one, in a project that has never seen this repository? Builds, packs
 * every package, and runs three checks, each in a fresh project under the OS temp
 * dir that installs only the tarballs a user would name (third-party dependencies
 * come from the registry or npm's cache; no workspace links):
 *   (a) @kopf/core + @kopf/reactor + @kopf/testing run the minimal operator against the fake server;
 *   (b) @kopf/testing alone starts the fake API server and a real kubectl talks to it;
 *   (c) @kopf/cli gives a working `kopf`: version, generate rbac, run against a fake server.
 * Prints PASS/FAIL per check with its time, and exits 1 on any failure.
 *
 *   npm run pack:smoke [-- --no-build] [-- --keep]   (--keep leaves the scratch projects for a look)
 *
 * kubectl for (b): $KOPF_SMOKE_KUBECTL, else the npm-provided 1.35 (as the end-to-end
 * suites use), else `kubectl` on PATH.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmKubectl } from '../packages/testing/test/support/kubectl.js';
import {
  cliCheck,
  fakeServerCheck,
  operatorCheck,
  type SmokeCheck,
  type SmokeContext,
} from './pack-smoke/checks.js';
import { packAll } from './pack-smoke/packing.js';
import { runOk } from './pack-smoke/processes.js';
import { type CheckResult, exitCode, formatReport } from './pack-smoke/report.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CHECKS: readonly SmokeCheck[] = [operatorCheck, fakeServerCheck, cliCheck];

const seconds = (since: number): number => (Date.now() - since) / 1000;

/** The kubectl for check (b), and where it came from. */
async function pickKubectl(): Promise<string> {
  if (process.env.KOPF_SMOKE_KUBECTL) return process.env.KOPF_SMOKE_KUBECTL;
  try {
    return (await npmKubectl(35)).path;
  } catch (error) {
    console.log(`(the npm-provided kubectl is unavailable, using kubectl on PATH: ${String(error)})`);
    return 'kubectl';
  }
}

async function runCheck(check: SmokeCheck, context: SmokeContext): Promise<CheckResult> {
  const started = Date.now();
  console.log(`\n--- ${check.name}`);
  try {
    const details = await check.run(context);
    return { name: check.name, ok: true, seconds: seconds(started), details };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { name: check.name, ok: false, seconds: seconds(started), details: [message] };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const started = Date.now();
  const scratch = await mkdtemp(join(tmpdir(), 'kopf-pack-smoke-'));
  try {
    if (!argv.includes('--no-build')) {
      const built = Date.now();
      await runOk('npx', ['tsc', '-b'], { cwd: ROOT, timeout: 600 });
      console.log(`built (tsc -b) in ${seconds(built).toFixed(1)} s`);
    }
    const packing = Date.now();
    const tarballs = join(scratch, 'tarballs');
    const packed = await packAll(ROOT, tarballs);
    console.log(
      `packed ${packed.map((pkg) => pkg.name).join(', ')} in ${seconds(packing).toFixed(1)} s into ${scratch}`,
    );
    const context: SmokeContext = { root: ROOT, packed, scratch, kubectl: await pickKubectl() };
    const results: CheckResult[] = [];
    for (const check of CHECKS) results.push(await runCheck(check, context));
    console.log('');
    for (const line of formatReport(results, seconds(started))) console.log(line);
    return exitCode(results);
  } finally {
    if (argv.includes('--keep')) console.log(`(kept ${scratch})`);
    else await rm(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(
    `pack smoke: failed before the checks: ${error instanceof Error ? error.message : String(error)}`,
  );
  return 1;
});
