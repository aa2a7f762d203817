/**
 * Checks the dependency direction of the monorepo (see DEVELOPERS.md):
 *
 *   core → (nothing)          k8s → core (types only)       reactor → core, k8s
 *   testing → core, k8s, reactor, but its fake API server → nothing of ours
 *   cli → everything          examples → public entries only
 *
 * plus: only `@kopf/k8s` talks to `@kubernetes/client-node`, no package reaches
 * into a sibling's files by a relative path, and every `@kopf/*` import is declared
 * in the importer's package.json (or an installed user would not get it).
 *
 * Run: `npx tsx scripts/check-boundaries.ts [root]`; exits 1 and lists violations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from './file-listing.js';

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly problem: string;
}

interface Rule {
  /** Which `@kopf/*` packages may be imported (by short name). */
  readonly allowed: readonly string[];
  /** Packages that may be imported with `import type` only. */
  readonly typesOnly?: readonly string[];
  /** May this area import `@kubernetes/client-node`? */
  readonly clientNode?: boolean;
  /** May its tests use `@kubernetes/client-node` (to check the fake server with a real client)? */
  readonly clientNodeInTests?: boolean;
  /** Extra packages its tests may import (the fake API server for black-box tests). */
  readonly testsMayUse?: readonly string[];
}

const RULES: Record<string, Rule> = {
  core: { allowed: [] },
  k8s: { allowed: ['core'], typesOnly: ['core'], clientNode: true, testsMayUse: ['testing'] },
  reactor: { allowed: ['core', 'k8s'], testsMayUse: ['testing'] },
  testing: { allowed: ['core', 'k8s', 'reactor'], clientNodeInTests: true },
  'testing/fake-api-server': { allowed: [], clientNodeInTests: true },
  cli: { allowed: ['core', 'k8s', 'reactor', 'testing'] },
  examples: { allowed: ['core', 'k8s', 'reactor', 'testing', 'cli'] },
};

const IMPORT_PATTERNS: readonly RegExp[] = [
  /^\s*(import|export)\s+(type\s+)?[^'";]*?\sfrom\s+['"]([^'"]+)['"]/gm,
  /^\s*(import)\s+()['"]([^'"]+)['"]/gm,
  /(import)\s*()\(\s*['"]([^'"]+)['"]\s*\)/g,
];

interface ImportSite {
  readonly specifier: string;
  readonly typeOnly: boolean;
  readonly line: number;
}

export function findImports(source: string): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of source.matchAll(pattern)) {
      const line = source.slice(0, match.index).split('\n').length;
      sites.push({ specifier: match[3] ?? '', typeOnly: Boolean(match[2]), line });
    }
  }
  return sites;
}

function listSourceFiles(dir: string): string[] {
  return listFiles(dir, (name) => /\.(ts|mts|js|mjs)$/.test(name));
}

/** The rule area of a file: its package, or the fake API server inside `testing`. */
function areaOf(root: string, file: string): { area: string; packageDir: string } | undefined {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'examples') return { area: 'examples', packageDir: join(root, 'examples') };
  if (parts[0] !== 'packages' || !parts[1]) return undefined;
  const packageDir = join(root, 'packages', parts[1]);
  if (parts[1] === 'testing' && parts.includes('fake-api-server')) {
    return { area: 'testing/fake-api-server', packageDir };
  }
  return { area: parts[1], packageDir };
}

function declaredDependencies(packageDir: string): Set<string> {
  try {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  } catch {
    return new Set();
  }
}

/**
 * Test support every package's tests may share by a relative import: the real
 * kubectl binaries (from @kopf/testing's dev dependencies) and how to run them.
 */
const SHARED_TEST_SUPPORT = ['packages', 'testing', 'test', 'support'];

function isTestFile(file: string): boolean {
  return /\.test(-d)?\.ts$/.test(file) || file.includes(`${sep}test${sep}`);
}

function checkSite(root: string, file: string, site: ImportSite, area: string, packageDir: string): string[] {
  const rule = RULES[area];
  if (!rule) return [];
  const { specifier } = site;
  const problems: string[] = [];
  const ours = /^@kopf\/([^/]+)(\/.*)?$/.exec(specifier);
  if (ours) {
    const [, name = '', subpath] = ours;
    const self = area.split('/')[0];
    const isTest = /\.test(-d)?\.ts$/.test(file) || file.includes(`${sep}test${sep}`);
    const allowed =
      name === self || rule.allowed.includes(name) || (isTest && rule.testsMayUse?.includes(name));
    if (!allowed) {
      problems.push(
        `'${area}' must not import '@kopf/${name}' (allowed: ${rule.allowed.join(', ') || 'none'})`,
      );
    } else if (rule.typesOnly?.includes(name) && !site.typeOnly) {
      problems.push(`'${area}' may import '@kopf/${name}' only with 'import type'`);
    }
    if (area === 'examples' && subpath) {
      problems.push(`examples must use public entries only, not '${specifier}'`);
    }
    if (
      allowed &&
      name !== self &&
      !isTest &&
      area !== 'examples' &&
      !declaredDependencies(packageDir).has(`@kopf/${name}`)
    ) {
      problems.push(
        `'@kopf/${name}' is imported but not declared in ${relative(root, packageDir)}/package.json`,
      );
    }
  }
  const testUse = rule.clientNodeInTests && isTestFile(file);
  if (specifier === '@kubernetes/client-node' && !rule.clientNode && !testUse) {
    problems.push(`only '@kopf/k8s' may import '@kubernetes/client-node' (found in '${area}')`);
  }
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    const sharedSupport = isTestFile(file) && target.startsWith(join(root, ...SHARED_TEST_SUPPORT) + sep);
    if (!target.startsWith(packageDir + sep) && target !== packageDir && !sharedSupport) {
      problems.push(`relative import leaves its package: use the package name instead`);
    }
  }
  return problems;
}

export function checkBoundaries(root: string): Violation[] {
  const files = [
    ...readdirSync(join(root, 'packages')).flatMap((name) => [
      ...listSourceFiles(join(root, 'packages', name, 'src')),
      ...listSourceFiles(join(root, 'packages', name, 'test')),
    ]),
    ...listSourceFiles(join(root, 'examples')),
  ];
  const violations: Violation[] = [];
  for (const file of files) {
    const where = areaOf(root, file);
    if (!where) continue;
    for (const site of findImports(readFileSync(file, 'utf8'))) {
      for (const problem of checkSite(root, file, site, where.area, where.packageDir)) {
        violations.push({ file: relative(root, file), line: site.line, specifier: site.specifier, problem });
      }
    }
  }
  return violations;
}

function main(): void {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkBoundaries(root);
  for (const v of violations) {
    console.error(`${v.file}:${v.line}: import '${v.specifier}': ${v.problem}`);
  }
  if (violations.length > 0) {
    console.error(
      `\n${violations.length} dependency-direction violation(s). See DEVELOPERS.md, "Dependency direction".`,
    );
    process.exit(1);
  }
  console.log('Dependency direction: OK');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
