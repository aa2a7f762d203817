/**
 * `npm run bench`: runs every benchmark of the repository, one after another (the
 * machines have 2 cores; parallel benchmarks would measure each other), and prints
 * their tables. A benchmark is a file `packages/<pkg>/bench/<name>.bench.ts` (or
 * `scripts/bench/<name>.bench.ts`) run as its own process with tsx; it measures
 * its baseline in the same run, prints a table with ratios, and writes its figures
 * as JSON to the path in `$KOPF_BENCH_OUTPUT`. Results are collected into
 * `bench-results/<name>.json`.
 *
 * A benchmark exits non-zero only when it fails to run, never because a machine is
 * slow; so does this script. Run a subset with `npm run bench -- <name-filter>`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function findBenchmarks(rootDir: string): string[] {
  const folders = [
    ...readdirSync(join(rootDir, 'packages')).map((name) => join(rootDir, 'packages', name, 'bench')),
    join(rootDir, 'scripts', 'bench'),
  ];
  return folders
    .filter((folder) => existsSync(folder))
    .flatMap((folder) =>
      readdirSync(folder)
        .filter((file) => file.endsWith('.bench.ts'))
        .map((file) => join(folder, file)),
    )
    .sort();
}

function main(): number {
  const filters = process.argv.slice(2);
  const outputDir = join(root, 'bench-results');
  mkdirSync(outputDir, { recursive: true });
  const benchmarks = findBenchmarks(root).filter(
    (file) => filters.length === 0 || filters.some((filter) => file.includes(filter)),
  );
  if (benchmarks.length === 0) {
    console.error(`No benchmarks match ${filters.join(', ') || '(all)'}.`);
    return 1;
  }
  const failed: string[] = [];
  for (const file of benchmarks) {
    const name = basename(file, '.bench.ts');
    console.log(`\n=== ${relative(root, file)} ===`);
    const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, KOPF_BENCH_OUTPUT: join(outputDir, `${name}.json`), NODE_OPTIONS: '' },
    });
    if (result.status !== 0) failed.push(relative(root, file));
  }
  console.log(`\nResults: ${relative(root, outputDir)}/`);
  if (failed.length > 0) {
    console.error(`Benchmarks that failed to run: ${failed.join(', ')}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
