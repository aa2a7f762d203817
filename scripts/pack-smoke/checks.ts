/**
 * The three checks of the pack smoke test, each in a scratch project of its own
 * that installs only the tarballs a user would name: (a) core + reactor + testing
 * run the minimal operator, (b) testing alone serves kubectl, (c) the cli's `kopf`
 * binary runs the minimal operator against a fake server. Each throws on failure
 * and returns what it saw, for the report.
 */
import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpClient } from '@kopf/k8s';
import type { PackedPackage } from './packing.js';
import { BackgroundProcess, CommandError, runOk } from './processes.js';
import { createScratchProject, scratchEnvironment } from './projects.js';

/** What every check gets: the repository, the tarballs, where to put projects, and kubectl. */
export interface SmokeContext {
  readonly root: string;
  readonly packed: readonly PackedPackage[];
  readonly scratch: string;
  /** The kubectl binary for check (b). */
  readonly kubectl: string;
}

/** One check: a name for the report and what it does. */
export interface SmokeCheck {
  readonly name: string;
  run(context: SmokeContext): Promise<string[]>;
}

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/**
 * What check (a) type-checks the user's code with: TypeScript 5 (what most users
 * have; the repository builds with 7) and `skipLibCheck: false`, which also checks
 * the published declarations. `@types/ws` because @kubernetes/client-node 1.4.0's
 * declarations import `ws` (a user with `skipLibCheck: false` needs it too).
 */
const TYPE_CHECK_TOOLS: Readonly<Record<string, string>> = {
  typescript: '5.9.3',
  '@types/node': '20.19.43',
  '@types/ws': '8.18.1',
};

const USER_TSCONFIG = {
  compilerOptions: {
    target: 'es2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  },
  include: ['*.ts'],
};
const MINIMAL = (root: string, file: string): string => join(root, 'examples', '01-minimal', file);
const SUCCEEDED = /Handler 'create_fn' succeeded\./;

/** Fails the check with a message that names what was expected and shows what was seen. */
function expectOutput(step: string, output: string, pattern: RegExp): void {
  if (!pattern.test(output)) {
    throw new CommandError(`${step} failed: expected ${pattern} in its output:\n${output}`);
  }
}

async function installedKopfPackages(directory: string): Promise<string[]> {
  const scoped = await readdir(join(directory, 'node_modules', '@kopf')).catch(() => []);
  return scoped.map((name) => `@kopf/${name}`).sort();
}

/** (a) `@kopf/core` + `@kopf/reactor` + `@kopf/testing`: the minimal operator in-process. */
export const operatorCheck: SmokeCheck = {
  name: '@kopf/core + @kopf/reactor + @kopf/testing run the minimal operator against the fake server (and type-check)',
  async run(context) {
    const project = await createScratchProject(
      'kopf-smoke-operator',
      ['@kopf/core', '@kopf/reactor', '@kopf/testing'],
      context.packed,
      { parent: context.scratch, tools: TYPE_CHECK_TOOLS },
    );
    const dir = project.directory;
    await copyFile(join(FIXTURES, 'typed-operator.ts'), join(dir, 'typed-operator.ts'));
    await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(USER_TSCONFIG, null, 2)}\n`);
    await runOk(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], {
      cwd: dir,
      env: scratchEnvironment(),
    });
    await copyFile(join(FIXTURES, 'run-operator.mjs'), join(dir, 'run-operator.mjs'));
    await copyFile(MINIMAL(context.root, 'crd.yaml'), join(dir, 'crd.yaml'));
    await copyFile(MINIMAL(context.root, 'obj.yaml'), join(dir, 'obj.yaml'));
    const output = await runOk('node', ['run-operator.mjs'], {
      cwd: dir,
      env: scratchEnvironment(),
      timeout: 120,
    });
    expectOutput('node run-operator.mjs', output, SUCCEEDED);
    expectOutput('node run-operator.mjs', output, /status\.create_fn: \{"message":"hello world"\}/);
    return [
      `npm install: ${project.installSeconds.toFixed(1)} s`,
      `typed-operator.ts compiles with TypeScript ${TYPE_CHECK_TOOLS.typescript} (skipLibCheck: false)`,
      'status.create_fn: {"message":"hello world"}',
    ];
  },
};

/** (b) `@kopf/testing` alone: the fake API server, and a real kubectl talking to it. */
export const fakeServerCheck: SmokeCheck = {
  name: '@kopf/testing alone starts the fake API server and kubectl talks to it',
  async run(context) {
    const project = await createScratchProject('kopf-smoke-testing', ['@kopf/testing'], context.packed, {
      parent: context.scratch,
    });
    const dir = project.directory;
    await copyFile(join(FIXTURES, 'serve.mjs'), join(dir, 'serve.mjs'));
    const kubeconfig = join(dir, 'kubeconfig');
    const env = scratchEnvironment();
    const server = BackgroundProcess.start('node', ['serve.mjs', kubeconfig], { cwd: dir, env });
    let serverVersion: string | undefined;
    let stopCode: number | null = null;
    try {
      await server.waitFor(/Fake API server ready at (\S+)/, 60);
      const kubectl = (...args: string[]): Promise<string> =>
        runOk(context.kubectl, ['--kubeconfig', kubeconfig, ...args], { cwd: dir, env, timeout: 60 });
      const version = JSON.parse(await kubectl('version', '-o', 'json')) as {
        serverVersion?: { gitVersion?: string };
      };
      serverVersion = version.serverVersion?.gitVersion;
      await kubectl('apply', '-f', MINIMAL(context.root, 'crd.yaml'));
      await kubectl('wait', '--for=condition=Established', 'crd/kopfexamples.kopf.dev', '--timeout=60s');
      await kubectl('apply', '-f', MINIMAL(context.root, 'obj.yaml'));
      const field = await kubectl('get', 'kopfexample', 'kopf-example-1', '-o', 'jsonpath={.spec.field}');
      if (field !== 'value')
        throw new CommandError(`kubectl get failed: spec.field is ${JSON.stringify(field)}`);
      await kubectl('delete', 'kopfexample', 'kopf-example-1', '--wait=true');
      const listed = await kubectl('get', 'kopfexamples', '-o', 'name');
      if (listed.trim() !== '') throw new CommandError(`kubectl delete failed: still listed: ${listed}`);
    } finally {
      stopCode = await server.stop();
    }
    if (stopCode !== 0)
      throw new CommandError(`Stopping the fake API server failed (exit ${stopCode}):\n${server.output}`);
    const pulled = await installedKopfPackages(dir);
    return [
      `npm install: ${project.installSeconds.toFixed(1)} s`,
      `kubectl: ${context.kubectl}; the server reports ${serverVersion}`,
      `installing @kopf/testing pulls in: ${pulled.join(', ')}`,
    ];
  },
};

/** A fake API server in this process (the workspace's @kopf/testing) with the minimal example's CRD and object. */
async function startSeededServer(root: string, kubeconfig: string): Promise<{ stop(): Promise<void> }> {
  const { FakeApiServer, Cluster } = await import('@kopf/testing');
  const { createApiClient } = await import('@kopf/k8s');
  const server = await FakeApiServer.start();
  let client: HttpClient | undefined;
  try {
    await server.writeKubeconfig(kubeconfig);
    client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
    });
    const cluster = new Cluster(client);
    await cluster.apply(MINIMAL(root, 'crd.yaml'));
    await cluster.apply(MINIMAL(root, 'obj.yaml'));
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    client?.close();
  }
  return { stop: () => server.stop() };
}

/** (c) `@kopf/cli` (with `@kopf/core`, which the operator imports): `kopf version`, `generate rbac`, `run`. */
export const cliCheck: SmokeCheck = {
  name: '@kopf/cli gives a working kopf binary (version, generate rbac, run against a fake server)',
  async run(context) {
    const project = await createScratchProject(
      'kopf-smoke-cli',
      ['@kopf/cli', '@kopf/core'],
      context.packed,
      { parent: context.scratch },
    );
    const dir = project.directory;
    const env = scratchEnvironment();
    const expected = context.packed.find((pkg) => pkg.name === '@kopf/cli')?.version ?? '?';
    const version = await runOk('npx', ['kopf', 'version'], { cwd: dir, env, timeout: 60 });
    expectOutput('npx kopf version', version, new RegExp(`\\b${expected.replaceAll('.', '\\.')}\\b`));
    await copyFile(MINIMAL(context.root, 'operator.ts'), join(dir, 'operator.ts'));
    await copyFile(MINIMAL(context.root, 'crd.yaml'), join(dir, 'crd.yaml'));
    const rbac = await runOk('npx', ['kopf', 'generate', 'rbac', 'operator.ts', '--crd', 'crd.yaml'], {
      cwd: dir,
      env,
      timeout: 60,
    });
    expectOutput(
      'npx kopf generate rbac operator.ts --crd crd.yaml',
      rbac,
      /kind: ClusterRole\b[\s\S]*kopfexamples/,
    );

    const kubeconfig = join(dir, 'kubeconfig');
    const server = await startSeededServer(context.root, kubeconfig);
    let stopCode: number | null = null;
    try {
      const kopf = BackgroundProcess.start(
        join(dir, 'node_modules', '.bin', 'kopf'),
        ['run', 'operator.ts', '-A', '--verbose'],
        { cwd: dir, env: { ...env, KUBECONFIG: kubeconfig } },
      );
      try {
        await kopf.waitFor(SUCCEEDED, 120);
      } finally {
        stopCode = await kopf.stop();
      }
      if (stopCode !== 0) {
        throw new CommandError(
          `kopf run did not stop cleanly on SIGTERM (exit ${stopCode}):\n${kopf.output}`,
        );
      }
    } finally {
      await server.stop();
    }
    return [
      `npm install: ${project.installSeconds.toFixed(1)} s`,
      `npx kopf version: ${version.trim()}`,
      "kopf run: Handler 'create_fn' succeeded; exit 0 on SIGTERM",
    ];
  },
};
