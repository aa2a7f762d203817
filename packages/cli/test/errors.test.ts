import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runKopf } from './support/kopf.js';

const OPERATOR = join(REPO, 'examples/01-minimal/operator.ts');
let server: FakeApiServer;
let project: string;
let kubeconfig: string;

/** A throw-away project (ES modules, with the repository's node_modules) holding broken operators. */
async function makeProject(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'kopf-cli-errors-'));
  await symlink(join(REPO, 'node_modules'), join(directory, 'node_modules'), 'dir');
  const files: Record<string, string> = {
    'package.json': '{ "type": "module" }\n',
    'broken.ts': "import { on } from '@kopf/core';\nconst x: number = ;\n",
    'throws.ts': "import { on } from '@kopf/core';\n\nfoo();\n",
    'empty.ts': 'export const nothing = 1;\n',
    'options.ts':
      "import { on } from '@kopf/core';\non.create('kex', { retries: 'many' }, function fn() {});\n",
    'legacy.cts': 'module.exports = {};\n',
    'commonjs/package.json': '{ "type": "commonjs" }\n',
    'commonjs/operator.ts': "import { on } from '@kopf/core';\non.create('kex', function fn() {});\n",
    'bad-kubeconfig.yaml': 'clusters: [unterminated\n',
  };
  await mkdir(join(directory, 'commonjs'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(directory, name), text);
  return directory;
}

/** A port nobody listens on (was free a moment ago). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  server = await FakeApiServer.start();
  project = await makeProject();
  kubeconfig = join(project, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
});

afterAll(async () => {
  await server?.stop();
  await rm(project, { recursive: true, force: true });
});

/** Runs kopf in the project and checks that it failed with one line and no stack trace. */
async function failure(args: readonly string[], code: 1 | 2): Promise<string> {
  const result = await runKopf(args, { cwd: project });
  const report = `exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
  expect(result.code, report).toBe(code);
  expect(result.stdout, report).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, report).toHaveLength(1);
  expect(lines[0], report).toMatch(/^kopf \w+: /);
  return lines[0] ?? '';
}

describe('kopf run fails in one line, without a stack trace', { timeout: 60_000 }, () => {
  it('names a missing operator file', async () => {
    const line = await failure(['run', '-A', 'nosuch.ts'], 1);
    expect(line).toBe(
      `kopf run: Loading nosuch.ts failed: there is no such file (looked for ${join(project, 'nosuch.ts')}).`,
    );
  });

  it('names the file, the syntax error and its location', async () => {
    expect(await failure(['run', '-A', 'broken.ts'], 1)).toBe(
      'kopf run: Loading broken.ts failed: Unexpected ";" (at broken.ts:2:19).',
    );
  });

  it('names the error thrown while importing and where', async () => {
    expect(await failure(['run', '-A', 'throws.ts'], 1)).toBe(
      'kopf run: Loading throws.ts failed: ReferenceError: foo is not defined (at throws.ts:3:1).',
    );
  });

  it('names a handler registered with bad options and where', async () => {
    const line = await failure(['run', '-A', 'options.ts'], 1);
    expect(line).toMatch(
      /^kopf run: Loading options\.ts failed: HandlerOptionsError: on\.create\('kex'\) handler 'fn': /,
    );
    expect(line).toMatch(/\(at options\.ts:2:4\)\.$/);
  });

  it('says when the files register no handlers', async () => {
    expect(await failure(['run', '-A', 'empty.ts'], 1)).toMatch(
      /^kopf run: The operator registered no handlers \(empty\.ts\)\. Register them with on\.create/,
    );
  });

  it('refuses CommonJS files, naming the fix', async () => {
    expect(await failure(['run', '-A', 'legacy.cts'], 1)).toMatch(
      /legacy\.cts failed: it is a CommonJS file/,
    );
    expect(await failure(['run', '-A', 'commonjs/operator.ts'], 1)).toMatch(
      /commonjs\/operator\.ts failed: it would load as CommonJS.*add "type": "module" to commonjs\/package\.json/,
    );
  });

  it('names the URL of a cluster that cannot be reached', async () => {
    const port = await closedPort();
    const dead = join(project, 'dead-kubeconfig');
    await writeFile(dead, server.kubeconfig().replace(server.url, `https://127.0.0.1:${port}`));
    expect(await failure(['run', '-A', OPERATOR, '--kubeconfig', dead], 1)).toMatch(
      new RegExp(
        `^kopf run: Cannot reach the Kubernetes API at https://127\\.0\\.0\\.1:${port} \\(GET /version\\): .*ECONNREFUSED`,
      ),
    );
  });

  it('names a kubeconfig that is missing or broken', async () => {
    expect(await failure(['run', '-A', OPERATOR, '--kubeconfig', 'nosuch-kubeconfig'], 1)).toMatch(
      /^kopf run: Loading the kubeconfig failed: the kubeconfig file nosuch-kubeconfig could not be read/,
    );
    expect(await failure(['run', '-A', OPERATOR, '--kubeconfig', 'bad-kubeconfig.yaml'], 1)).toMatch(
      /^kopf run: Loading the kubeconfig failed: the kubeconfig file bad-kubeconfig\.yaml could not be read or parsed/,
    );
  });

  it('names a context the kubeconfig does not have, and the ones it has', async () => {
    expect(
      await failure(['run', '-A', OPERATOR, '--kubeconfig', kubeconfig, '--context', 'nope'], 1),
    ).toMatch(/has no context "nope"\. Use one of: \S+/);
  });

  it('is a usage error (exit code 2) to pass both -A and -n', async () => {
    expect(await failure(['run', '-A', '-n', 'default', OPERATOR], 2)).toBe(
      'kopf run: --all-namespaces (-A) and --namespace (-n) exclude each other; pass one of them.',
    );
  });

  it('is a usage error to pass --standalone with --peering, or a priority that is no integer', async () => {
    expect(await failure(['run', '-A', '--standalone', '--peering', 'main', OPERATOR], 2)).toBe(
      'kopf run: --standalone and --peering exclude each other; pass one of them.',
    );
    expect(await failure(['run', '-A', '--priority', 'high', OPERATOR], 2)).toMatch(
      /^kopf run: --priority "high" is not an integer/,
    );
  });

  it('names an unknown option and where to read about the options', async () => {
    expect(await failure(['run', '--frobnicate', OPERATOR], 2)).toBe(
      "kopf run: unknown option '--frobnicate'. Run 'kopf help run' for the options.",
    );
  });

  it('takes options from KOPF_RUN_* variables, so their conflicts are usage errors too', async () => {
    const result = await runKopf(['run', '-A', OPERATOR], {
      cwd: project,
      env: { KOPF_RUN_NAMESPACE: 'default' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('exclude each other');
  });
});
