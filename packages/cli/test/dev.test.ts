import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Exit, REPO, startKopf } from './support/kopf.js';
import { kubectl, kubectlUntil } from './support/kubectl.js';

/** The `create_fn` result of a KopfExample, polled with kubectl until it has one. */
async function handledMessage(kubeconfig: string, name: string): Promise<unknown> {
  const yaml = await kubectlUntil(
    kubeconfig,
    ['get', 'kopfexample', name, '-o', 'yaml', '--ignore-not-found'],
    (text) => parse(text)?.status?.create_fn !== undefined,
    60,
  );
  return parse(yaml).status.create_fn.message;
}

/** A throw-away project: an operator importing ./message.ts, and the CRD beside it. */
async function makeProject(): Promise<string> {
  const project = await mkdtemp(join(tmpdir(), 'kopf-cli-dev-'));
  await symlink(join(REPO, 'node_modules'), join(project, 'node_modules'), 'dir');
  await writeFile(join(project, 'package.json'), '{ "type": "module" }\n');
  await copyFile(join(REPO, 'examples/crd.yaml'), join(project, 'crd.yaml'));
  await writeFile(join(project, 'message.ts'), "export const message = 'one';\n");
  await writeFile(
    join(project, 'operator.ts'),
    "import { on } from '@kopf/core';\nimport { message } from './message.ts';\n\n" +
      "on.create('kopfexamples', function create_fn() {\n  return { message };\n});\n",
  );
  return project;
}

/** Creates a KopfExample with kubectl (from a file in the project). */
async function createExample(project: string, kubeconfig: string, name: string): Promise<void> {
  const file = join(project, 'objects', `${name}.json`);
  await mkdir(join(project, 'objects'), { recursive: true });
  await writeFile(
    file,
    JSON.stringify({ apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name } }),
  );
  await kubectl(kubeconfig, ['create', '-f', file]);
}

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('kopf dev', { timeout: 180_000 }, () => {
  it("follows the README's quick start: kubectl sees the example handled, Ctrl-C stops everything", async () => {
    // The README's `npx kopf dev examples/01-minimal/operator.ts`: the binary npx finds, run directly so
    // that its own exit code is seen (npm exec re-raises the signal instead of passing the code on).
    const kopf = startKopf(['dev', 'examples/01-minimal/operator.ts'], { cwd: REPO });
    let url = '';
    let exit: Exit | undefined;
    try {
      const line = await kopf.waitFor(/use it with: export KUBECONFIG=/, 60);
      const server = /server at (https:\/\/[^\s;]+)/.exec(line)?.[1] ?? '';
      const kubeconfig = /export KUBECONFIG=(\S+)$/.exec(line)?.[1] ?? '';
      url = server;
      expect(kubeconfig).toBe(join(REPO, '.kopf/kubeconfig'));
      await kopf.waitFor('examples/01-minimal/crd.yaml, examples/01-minimal/obj.yaml (found next to');
      expect(await handledMessage(kubeconfig, 'kopf-example-1')).toBe('hello world');
      expect(kopf.stdout).toContain('And here we are! Creating: {"duration":"1m"');
    } finally {
      exit = await kopf.stop('SIGINT');
    }
    expect(exit, kopf.output).toEqual({ code: 0, signal: null });
    expect(kopf.stdout).toContain('kopf dev: Stopping the operator and the fake API server.');
    expect(kopf.stderr).toContain('kopf dev is stopping: the operator is stopping.');
    expect(await refusesConnections(url)).toBe(true);
  });

  describe('restarting', () => {
    let project: string;

    beforeAll(async () => {
      project = await makeProject();
    });

    afterAll(async () => {
      await rm(project, { recursive: true, force: true });
    });

    it('restarts the operator with fresh modules when an imported file changes, and survives a broken save', async () => {
      const kubeconfig = join(project, 'kubeconfig');
      const kopf = startKopf(['dev', 'operator.ts', '--port', '0', '--kubeconfig', kubeconfig, '--verbose'], {
        cwd: project,
      });
      const watching = 'Starting the watch-stream for kopfexamples.v1.kopf.dev cluster-wide.';
      const apply = (name: string): Promise<void> => createExample(project, kubeconfig, name);
      let exit: Exit | undefined;
      try {
        await kopf.waitFor(watching, 60);
        expect(kopf.stdout).toContain('Applied 1 object(s) from crd.yaml (found next to operator.ts');
        await apply('first');
        expect(await handledMessage(kubeconfig, 'first')).toBe('one');

        await writeFile(join(project, 'message.ts'), "export const message = 'two';\n");
        await kopf.waitFor('kopf dev: message.ts changed: restarting the operator.');
        await kopf.waitFor(watching, 60, 2);
        await apply('second');
        expect(await handledMessage(kubeconfig, 'second')).toBe('two');

        await writeFile(join(project, 'message.ts'), 'export const message = ;\n');
        await kopf.waitFor('kopf run: Loading operator.ts failed: Unexpected ";" (at message.ts:1:24).');
        await kopf.waitFor('kopf dev: The operator exited with code 1; waiting for changes to its files');
        await writeFile(join(project, 'message.ts'), "export const message = 'three';\n");
        await kopf.waitFor(watching, 60, 3);
        await apply('third');
        expect(await handledMessage(kubeconfig, 'third')).toBe('three');
      } finally {
        exit = await kopf.stop('SIGINT');
      }
      expect(exit, kopf.output).toEqual({ code: 0, signal: null });
    });
  });

  describe('with --persist', () => {
    let project: string;

    beforeAll(async () => {
      project = await makeProject();
    });

    afterAll(async () => {
      await rm(project, { recursive: true, force: true });
    });

    it('keeps the fake cluster, token and CA across runs', async () => {
      const kubeconfig = join(project, 'kubeconfig');
      const args = [
        'dev',
        'operator.ts',
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--persist',
        'state',
        '-v',
      ];
      const first = startKopf(args, { cwd: project });
      let exit: Exit | undefined;
      try {
        const line = await first.waitFor(/use it with: export KUBECONFIG=/, 60);
        expect(line).toContain(`(objects kept in ${join(project, 'state')})`);
        await first.waitFor('Starting the watch-stream for kopfexamples.v1.kopf.dev cluster-wide.', 60);
        await createExample(project, kubeconfig, 'kept');
        expect(await handledMessage(kubeconfig, 'kept')).toBe('one');
      } finally {
        exit = await first.stop('SIGINT');
      }
      expect(exit, first.output).toEqual({ code: 0, signal: null });

      const second = startKopf(args, { cwd: project });
      try {
        await second.waitFor(/use it with: export KUBECONFIG=/, 60);
        expect(await handledMessage(kubeconfig, 'kept')).toBe('one');
      } finally {
        exit = await second.stop('SIGINT');
      }
      expect(exit, second.output).toEqual({ code: 0, signal: null });
    });
  });
});
