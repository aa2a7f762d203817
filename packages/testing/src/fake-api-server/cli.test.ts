import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FakeApiServerCliError, parseFakeApiServerCliArgs, startFakeApiServerCli } from './cli.js';

describe('parseFakeApiServerCliArgs', () => {
  it('reads the kubeconfig path, port, host and namespaces', () => {
    expect(
      parseFakeApiServerCliArgs([
        '--kubeconfig',
        'k',
        '--port',
        '8443',
        '--namespace',
        'a',
        '--namespace',
        'b',
        '--persist',
        'state',
      ]),
    ).toEqual({
      kubeconfig: 'k',
      port: 8443,
      namespaces: ['a', 'b'],
      persist: 'state',
    });
  });

  it('says what is wrong and how to call it', () => {
    expect(() => parseFakeApiServerCliArgs([])).toThrow(/--kubeconfig is required; usage:/);
    expect(() => parseFakeApiServerCliArgs(['--kubeconfig', 'k', '--port', 'x'])).toThrow(
      FakeApiServerCliError,
    );
    expect(() => parseFakeApiServerCliArgs(['--verbose'])).toThrow(/usage:/);
  });
});

describe('startFakeApiServerCli', () => {
  it('starts a server, writes a kubeconfig for it, and tells how to use it', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'kopf-cli-')), 'kubeconfig');
    const cli = await startFakeApiServerCli({ kubeconfig: path });
    try {
      expect(cli.message).toBe(
        `Fake Kubernetes API server at ${cli.server.url}; use it with: export KUBECONFIG=${path}`,
      );
      const config = parse(await readFile(path, 'utf8'));
      expect(config.clusters[0].cluster.server).toBe(cli.server.url);
    } finally {
      await cli.server.stop();
    }
  });

  it('with --persist, keeps objects and the kubeconfig valid across restarts', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kopf-cli-'));
    const path = join(directory, 'kubeconfig');
    const persist = join(directory, 'state');
    const first = await startFakeApiServerCli({ kubeconfig: path, persist });
    expect(first.message).toContain(`(objects kept in ${persist})`);
    const token = first.server.token;
    await first.server.stop();
    const second = await startFakeApiServerCli({ kubeconfig: path, persist });
    try {
      expect(second.server.token).toBe(token);
      const config = parse(await readFile(path, 'utf8'));
      expect(config.users[0].user.token).toBe(token);
    } finally {
      await second.server.stop();
    }
  });

  it('runs as a script and exits cleanly on SIGTERM', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'kopf-cli-')), 'kubeconfig');
    const script = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--kubeconfig', path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => resolve(chunk));
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(line).toContain(`export KUBECONFIG=${path}`);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
