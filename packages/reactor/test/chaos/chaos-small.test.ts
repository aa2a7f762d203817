/**
 * The chaos run at its small size, as CI runs it with `npm test` (`npm run chaos`
 * is the full size): 60 objects created, updated and deleted while the operator
 * process is SIGKILLed and restarted 3 times, the watch streams are cut 6 times
 * and the history compacted twice (410 Gone), and 5% of the operator's writes fail
 * with 500 or 429. The runner (`scripts/chaos/chaos.ts`) runs as a child process,
 * judges the run and writes its verdict as JSON; this test fails on any violation
 * and prints the runner's report, whose first line names the seed to repeat it with
 * (`CHAOS_SEED=<seed> npm run chaos -- --size small`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RUNNER = join(ROOT, 'scripts', 'chaos', 'chaos.ts');

/** The parts of the runner's JSON output that this test reads. */
interface ChaosOutput {
  readonly facts: {
    readonly seed: string;
    readonly faults: { readonly kills: number; readonly cuts: number; readonly compactions: number };
    readonly writeFaults: { readonly failed: number };
  };
  readonly verdict: {
    readonly counts: {
      readonly objects: number;
      readonly deleted: number;
      readonly watchRestarts: Readonly<Record<string, number>>;
    };
    readonly violations: readonly {
      readonly rule: string;
      readonly subject: string;
      readonly detail: string;
    }[];
  };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs the chaos runner; resolves to its exit code and its output (stdout and stderr together). */
function runChaos(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--conditions=@kopf/source', '--import', 'tsx', RUNNER, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('chaos, small', () => {
  it('loses no work, repeats none, leaves no finalizer behind, and never crashes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kopf-chaos-test-'));
    const verdictPath = join(dir, 'verdict.json');
    const { code, output } = await runChaos(['--size', 'small', '--output', verdictPath]);
    expect(code, `the chaos runner's report:\n${output}`).not.toBe(2);
    const { facts, verdict } = JSON.parse(readFileSync(verdictPath, 'utf8')) as ChaosOutput;
    expect(verdict.violations, `the chaos runner's report:\n${output}`).toEqual([]);
    expect(code, output).toBe(0);
    expect(verdict.counts.objects).toBe(60);
    expect(verdict.counts.deleted).toBeGreaterThan(0);
    expect(facts.faults.kills).toBeGreaterThanOrEqual(2);
    expect(facts.faults.cuts).toBeGreaterThanOrEqual(5);
    expect(facts.faults.compactions).toBeGreaterThan(0);
    expect(verdict.counts.watchRestarts.expired).toBeGreaterThan(0);
    expect(facts.writeFaults.failed).toBeGreaterThan(0);
  }, 300_000);
});
