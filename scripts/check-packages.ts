/**
 * Checks what would be published: the versions (lerna's fixed mode: every package at
 * lerna.json's version, siblings pinned exactly) and CHANGELOG.md's section for it;
 * then packs every package (`npm pack`, as `npm publish` would) and runs publint
 * (package.json against the files: exports, types, bin) and attw, Are the Types
 * Wrong (does TypeScript resolve types for every entry point), on each tarball.
 * Exits 1 on any problem.
 *
 * attw runs with `--profile esm-only`: the packages are ESM-only (`"type": "module"`,
 * no `require` condition), so only Node 16+ ESM and bundler resolution are judged;
 * CommonJS consumers load them with `import()`, as Node 20.19+ also allows with
 * `require(esm)`. Data files among the exports (`@kopf/reactor/peering.yaml`) are not
 * modules and are left out of attw's entry points. docs/releasing.md says more.
 *
 *   npm run check:packages [-- --no-build]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nonModuleEntrypoints } from './pack-smoke/entrypoints.js';
import { type PackedPackage, packAll, publishableDirectories } from './pack-smoke/packing.js';
import { runCommand, runOk } from './pack-smoke/processes.js';
import { changelogProblems, type PackageManifest, versionProblems } from './pack-smoke/release-metadata.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'node_modules', '.bin');

/** Runs one linter on one tarball, prints its output, and says whether it passed. */
async function lint(tool: string, args: readonly string[]): Promise<boolean> {
  const result = await runCommand(join(BIN, tool), args, { cwd: ROOT, timeout: 300 });
  console.log(result.output.trimEnd());
  return result.code === 0;
}

async function checkPackage(pkg: PackedPackage): Promise<boolean> {
  console.log(`\n=== ${pkg.name}`);
  const manifest = JSON.parse(await readFile(join(pkg.directory, 'package.json'), 'utf8'));
  const skipped = nonModuleEntrypoints(manifest.exports);
  const publint = await lint('publint', ['run', pkg.tarball, '--strict']);
  const attw = await lint('attw', [
    pkg.tarball,
    '--profile',
    'esm-only',
    '--format',
    'table-flipped',
    '--no-emoji',
    '--no-color',
    ...(skipped.length > 0 ? ['--exclude-entrypoints', ...skipped] : []),
  ]);
  console.log(`${pkg.name}: publint ${publint ? 'ok' : 'FAILED'}, attw ${attw ? 'ok' : 'FAILED'}`);
  return publint && attw;
}

/** The fixed-mode versions and the changelog; prints and returns the problems. */
async function checkReleaseMetadata(): Promise<string[]> {
  const { version } = JSON.parse(await readFile(join(ROOT, 'lerna.json'), 'utf8')) as { version: string };
  const workspaces = [...publishableDirectories(ROOT), join(ROOT, 'examples')];
  const manifests = await Promise.all(
    workspaces.map(
      async (directory) =>
        JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as PackageManifest,
    ),
  );
  const problems = [
    ...versionProblems(version, manifests),
    ...changelogProblems(version, await readFile(join(ROOT, 'CHANGELOG.md'), 'utf8')),
  ];
  console.log(`=== versions and changelog (${version})`);
  console.log(problems.length === 0 ? 'ok' : problems.join('\n'));
  return problems;
}

async function main(argv: readonly string[]): Promise<number> {
  const started = Date.now();
  const scratch = await mkdtemp(join(tmpdir(), 'kopf-check-packages-'));
  try {
    if (!argv.includes('--no-build')) await runOk('npx', ['tsc', '-b'], { cwd: ROOT, timeout: 600 });
    const failed: string[] = [];
    if ((await checkReleaseMetadata()).length > 0) failed.push('versions/changelog');
    const packed = await packAll(ROOT, scratch);
    for (const pkg of packed) if (!(await checkPackage(pkg))) failed.push(pkg.name);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    if (failed.length > 0) {
      console.log(`\npackage checks: ${failed.join(', ')} failed (see above) in ${took} s`);
      return 1;
    }
    console.log(
      `\npackage checks: versions, changelog and ${packed.length} packages pass publint and attw in ${took} s`,
    );
    return 0;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
