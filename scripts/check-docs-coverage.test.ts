import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDocsCoverage, listPackageExports, parseExportedNames } from './check-docs-coverage.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let scratch: string | undefined;

function tree(files: Record<string, string>): string {
  scratch = mkdtempSync(join(tmpdir(), 'kopf-docs-coverage-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  return scratch;
}

afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

const INDEX = [
  '/**',
  ' * @packageDocumentation',
  ' * export { NotAnExport } from a comment.',
  ' */',
  "export type { Body, Memo as Memory } from './bodies.js';",
  '// export { commentedOut } from "./x.js";',
  'export {',
  '  on,',
  '  PermanentError,',
  "} from './on.js';",
].join('\n');

describe('parseExportedNames', () => {
  it('reads value and type export lists, renames, and skips comments', () => {
    expect(parseExportedNames(INDEX).sort()).toEqual(['Body', 'Memory', 'PermanentError', 'on']);
  });

  it('reads exported declarations', () => {
    expect(
      parseExportedNames(
        'export const a = 1;\nexport function b() {}\nexport interface C {}\nexport class D {}\n',
      ),
    ).toEqual(['a', 'b', 'C', 'D']);
  });

  it('reads every export of the real @kopf/core index', () => {
    const names = parseExportedNames(readFileSync(join(repoRoot, 'packages/core/src/index.ts'), 'utf8'));
    expect(names).toEqual(expect.arrayContaining(['on', 'PermanentError', 'OperatorSettings', 'Body']));
    expect(names).not.toContain('type');
  });
});

describe('listPackageExports', () => {
  it('names each package from its package.json', () => {
    const exports = listPackageExports(repoRoot).map((p) => p.name);
    expect(exports).toEqual(
      expect.arrayContaining(['@kopf/core', '@kopf/k8s', '@kopf/reactor', '@kopf/testing', '@kopf/cli']),
    );
  });
});

describe('checkDocsCoverage', () => {
  const pkg = { 'packages/core/package.json': '{"name":"@kopf/core"}', 'packages/core/src/index.ts': INDEX };

  it('passes when every export is mentioned as a word in some page', () => {
    const root = tree({
      ...pkg,
      'docs/a.md': 'Use `on.create` and throw a PermanentError.\n',
      'docs/deeper/b.md': 'A Body; a Memory.\n',
    });
    expect(checkDocsCoverage(root)).toEqual([]);
  });

  it('fails on exports no page mentions, grouped by package', () => {
    const root = tree({
      ...pkg,
      'packages/extra/src/index.ts': "export { helper } from './helper.js';\n",
      'docs/a.md': 'Use on.create and a Body.\n',
    });
    expect(checkDocsCoverage(root)).toEqual([
      { name: '@kopf/core', missing: ['Memory', 'PermanentError'] },
      { name: 'extra', missing: ['helper'] },
    ]);
  });

  it('counts whole words only, case-sensitively', () => {
    const root = tree({
      ...pkg,
      'docs/a.md': 'Body, Memory, on. NotPermanentError, permanenterror, PermanentErrors.\n',
    });
    expect(checkDocsCoverage(root)).toEqual([{ name: '@kopf/core', missing: ['PermanentError'] }]);
  });

  it('does not count Markdown inside node_modules, nor non-Markdown files', () => {
    const root = tree({
      ...pkg,
      'docs/a.md': 'Body, Memory, on.\n',
      'docs/tools/node_modules/x/README.md': 'PermanentError\n',
      'docs/snippets/a.ts': '// PermanentError\n',
    });
    expect(checkDocsCoverage(root)).toEqual([{ name: '@kopf/core', missing: ['PermanentError'] }]);
  });
});
