import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries, findImports } from './check-boundaries.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let scratch: string | undefined;

function tree(files: Record<string, string>): string {
  scratch = mkdtempSync(join(tmpdir(), 'kopf-boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  return scratch;
}

const pkg = (deps: Record<string, string> = {}) => JSON.stringify({ dependencies: deps });

afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('findImports', () => {
  it('finds static, type-only, side-effect and dynamic imports', () => {
    const sites = findImports(
      "import { a } from '@kopf/core';\nimport type { B } from './b.js';\nimport 'x';\nconst m = await import('y');\nexport { c } from '../c.js';",
    );
    expect(sites.map((s) => [s.specifier, s.typeOnly, s.line])).toEqual([
      ['@kopf/core', false, 1],
      ['./b.js', true, 2],
      ['../c.js', false, 5],
      ['x', false, 3],
      ['y', false, 4],
    ]);
  });
});

describe('checkBoundaries', () => {
  it('passes on the repository itself', () => {
    expect(checkBoundaries(repoRoot)).toEqual([]);
  });

  it('reports core importing another package', () => {
    const root = tree({
      'packages/core/package.json': pkg(),
      'packages/core/src/a.ts': "import { x } from '@kopf/reactor';\n",
    });
    expect(checkBoundaries(root)).toEqual([
      expect.objectContaining({ file: 'packages/core/src/a.ts', specifier: '@kopf/reactor' }),
    ]);
  });

  it('reports k8s importing core values, and accepts core types', () => {
    const root = tree({
      'packages/k8s/package.json': pkg({ '@kopf/core': '0.1.0' }),
      'packages/k8s/src/ok.ts': "import type { Resource } from '@kopf/core';\n",
      'packages/k8s/src/bad.ts': "import { on } from '@kopf/core';\n",
    });
    const violations = checkBoundaries(root);
    expect(violations).toHaveLength(1);
    expect(violations[0]?.problem).toMatch(/only with 'import type'/);
  });

  it('reports the fake API server importing any other @kopf package', () => {
    const root = tree({
      'packages/testing/package.json': pkg({ '@kopf/core': '0.1.0' }),
      'packages/testing/src/runner.ts': "import { on } from '@kopf/core';\n",
      'packages/testing/src/fake-api-server/server.ts': "import { on } from '@kopf/core';\n",
    });
    const files = checkBoundaries(root).map((v) => v.file);
    expect(files).toEqual(['packages/testing/src/fake-api-server/server.ts']);
  });

  it('reports client-node outside k8s, relative escapes, and undeclared dependencies', () => {
    const root = tree({
      'packages/reactor/package.json': pkg({ '@kopf/core': '0.1.0' }),
      'packages/reactor/src/a.ts': [
        "import { KubeConfig } from '@kubernetes/client-node';",
        "import { x } from '../../core/src/index.js';",
        "import { y } from '@kopf/k8s';",
      ].join('\n'),
    });
    const problems = checkBoundaries(root).map((v) => v.problem);
    expect(problems).toEqual([
      expect.stringMatching(/only '@kopf\/k8s' may import/),
      expect.stringMatching(/relative import leaves its package/),
      expect.stringMatching(/not declared/),
    ]);
  });
});

describe('checkBoundaries for tests', () => {
  it('lets k8s and reactor tests use the fake API server, but not their sources', () => {
    const root = tree({
      'packages/k8s/package.json': pkg(),
      'packages/k8s/test/watching.test.ts': "import { FakeApiServer } from '@kopf/testing';\n",
      'packages/k8s/src/watching.ts': "import { FakeApiServer } from '@kopf/testing';\n",
    });
    expect(checkBoundaries(root).map((v) => v.file)).toEqual(['packages/k8s/src/watching.ts']);
  });
});

describe('checkBoundaries for client-node in tests', () => {
  it('lets the fake server tests use client-node as a real client, but not its sources', () => {
    const root = tree({
      'packages/testing/package.json': pkg(),
      'packages/testing/test/fake-api-server/watch.test.ts':
        "import { Watch } from '@kubernetes/client-node';\n",
      'packages/testing/src/fake-api-server/server.ts': "import { Watch } from '@kubernetes/client-node';\n",
    });
    expect(checkBoundaries(root).map((v) => v.file)).toEqual([
      'packages/testing/src/fake-api-server/server.ts',
    ]);
  });
});

describe('checkBoundaries for shared test support', () => {
  it("lets tests import @kopf/testing's test support, but not sources or other tests", () => {
    const root = tree({
      'packages/cli/package.json': pkg(),
      'packages/testing/test/support/kubectl.ts': 'export const x = 1;\n',
      'packages/cli/test/run.test.ts': "import { x } from '../../testing/test/support/kubectl.js';\n",
      'packages/cli/test/other.test.ts': "import { y } from '../../testing/test/kubectl/suite.test.js';\n",
      'packages/cli/src/main.ts': "import { x } from '../../testing/test/support/kubectl.js';\n",
    });
    expect(checkBoundaries(root).map((v) => v.file)).toEqual([
      'packages/cli/src/main.ts',
      'packages/cli/test/other.test.ts',
    ]);
  });
});
