/**
 * Checks that the user documentation covers the public API: every name exported
 * by a `packages/<pkg>/src/index.ts` must appear, as a whole word, somewhere in
 * `docs/**\/*.md`. An export nobody mentions is either undocumented or should not
 * be public; this check makes either visible.
 *
 * Run: `npx tsx scripts/check-docs-coverage.ts [root]`; exits 1 and lists the
 * uncovered names grouped by package.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from './file-listing.js';

/** The names one package exports from its `src/index.ts`. */
export interface PackageExports {
  /** The package's name from its package.json (`@kopf/core`), or its folder name. */
  readonly name: string;
  readonly exports: readonly string[];
}

/** One package's exports that no page mentions. */
export interface UncoveredExports {
  readonly name: string;
  readonly missing: readonly string[];
}

const EXPORT_LIST = /export\s+(?:type\s+)?\{([^}]*)\}/g;
const EXPORT_DECLARATION =
  /export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:const|let|var|function\*?|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/g;

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** The exported names of a module's source: `export { a, b as c }`, `export type { … }`, declarations. */
export function parseExportedNames(source: string): string[] {
  const code = withoutComments(source);
  const names = new Set<string>();
  for (const match of code.matchAll(EXPORT_LIST)) {
    for (const item of (match[1] ?? '').split(',')) {
      const words = item.trim().split(/\s+/).filter(Boolean);
      const exported = words.includes('as') ? words[words.indexOf('as') + 1] : words[words.length - 1];
      if (exported && exported !== 'default') names.add(exported);
    }
  }
  for (const match of code.matchAll(EXPORT_DECLARATION)) {
    if (match[1]) names.add(match[1]);
  }
  return [...names];
}

function packageName(packageDir: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name?: unknown };
    if (typeof manifest.name === 'string') return manifest.name;
  } catch {
    // no readable package.json: fall back to the folder's name
  }
  return packageDir.split(/[\\/]/).pop() ?? packageDir;
}

/** Every package under `<root>/packages` that has a `src/index.ts`, with its exports. */
export function listPackageExports(root: string): PackageExports[] {
  const packagesDir = join(root, 'packages');
  if (!existsSync(packagesDir)) return [];
  return readdirSync(packagesDir)
    .sort()
    .map((entry) => join(packagesDir, entry))
    .filter((dir) => existsSync(join(dir, 'src', 'index.ts')))
    .map((dir) => ({
      name: packageName(dir),
      exports: parseExportedNames(readFileSync(join(dir, 'src', 'index.ts'), 'utf8')),
    }));
}

/** Every identifier-like word that appears in the Markdown under `<root>/docs`. */
export function collectDocWords(root: string): Set<string> {
  const words = new Set<string>();
  for (const file of listFiles(join(root, 'docs'), (name) => name.endsWith('.md'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/[A-Za-z_$][\w$]*/g)) words.add(match[0]);
  }
  return words;
}

/** The exports of every package that appear nowhere in the docs, by package; empty when all are covered. */
export function checkDocsCoverage(root: string): UncoveredExports[] {
  const words = collectDocWords(root);
  return listPackageExports(root)
    .map(({ name, exports }) => ({ name, missing: exports.filter((e) => !words.has(e)).sort() }))
    .filter(({ missing }) => missing.length > 0);
}

function main(): void {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const uncovered = checkDocsCoverage(root);
  if (uncovered.length === 0) {
    console.log('Docs coverage: every export is mentioned in docs/.');
    return;
  }
  let total = 0;
  for (const { name, missing } of uncovered) {
    total += missing.length;
    console.error(`${name} (${missing.length}):`);
    for (const item of missing) console.error(`  ${item}`);
  }
  console.error(
    `\n${total} export(s) appear in no page. Fix: mention each one (as a word, e.g. \`${uncovered[0]?.missing[0]}\`) in a page under docs/, or stop exporting it.`,
  );
  process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
