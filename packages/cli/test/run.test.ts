import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Exit, REPO, startKopf } from './support/kopf.js';
import { kubectl, kubectlApply, kubectlUntil } from './support/kubectl.js';

let server: FakeApiServer;
let directory: string;
let kubeconfig: string;

beforeAll(async () => {
  server = await FakeApiServer.start();
  directory = await mkdtemp(join(tmpdir(), 'kopf-cli-run-'));
  kubeconfig = join(directory, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
});

afterAll(async () => {
  await server?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('kopf run', () => {
  it('runs the minimal operator: the handler succeeds, kubectl shows its Event and the status message', {
    timeout: 120_000,
  }, async () => {
    await kubectl(kubeconfig, ['apply', '-f', join(REPO, 'examples/crd.yaml')]);
    const args = ['run', 'examples/01-minimal/operator.ts', '--verbose', '-A', '--kubeconfig', kubeconfig];
    const kopf = startKopf(args);
    let exit: Exit | undefined;
    try {
      await kopf.waitFor('Starting the watch-stream for kopfexamples.v1.kopf.dev cluster-wide.');
      await kubectl(kubeconfig, ['apply', '-f', join(REPO, 'examples/obj.yaml')]);

      await kopf.waitFor("[default/kopf-example-1] Handler 'create_fn' succeeded.");
      expect(kopf.stdout).toContain(
        'And here we are! Creating: {"duration":"1m","field":"value","items":["item1","item2"]}',
      );
      const described = await kubectlUntil(
        kubeconfig,
        ['describe', 'kopfexample', 'kopf-example-1'],
        (text) => /Normal\s+Success\s+.*kopf\s+Handler 'create_fn' succeeded\./.test(text),
      );
      expect(described).toMatch(/Message:\s+hello world/);
      const object = parse(await kubectl(kubeconfig, ['get', 'kopfexample', 'kopf-example-1', '-o', 'yaml']));
      expect(object.status).toEqual({ create_fn: { message: 'hello world' } });
    } finally {
      exit = await kopf.stop('SIGINT');
    }
    expect(exit, kopf.output).toEqual({ code: 0, signal: null });
    expect(kopf.stderr).toContain('Signal SIGINT is received. Operator is stopping.');
    expect(kopf.stderr).not.toMatch(/^\s+at /m);
  });

  it('passes --liveness, --peering and --priority to the operator', { timeout: 120_000 }, async () => {
    await kubectlApply(kubeconfig, join(REPO, 'packages/reactor/peering.yaml'));
    const port = await freePort();
    const liveness = `http://127.0.0.1:${port}/healthz`;
    const args = ['run', join(REPO, 'examples/01-minimal/operator.ts'), '-A', '--kubeconfig', kubeconfig];
    const kopf = startKopf([...args, '--liveness', liveness, '--peering', 'default', '--priority', '123']);
    let exit: Exit | undefined;
    try {
      const answer = await poll(
        () =>
          fetch(liveness)
            .then((response) => response.status)
            .catch(() => 0),
        200,
      );
      expect(answer).toBe(200);
      const peering = await kubectlUntil(
        kubeconfig,
        ['get', 'clusterkopfpeering', 'default', '-o', 'yaml'],
        (text) =>
          Object.values(parse(text).status ?? {}).some(
            (peer) => (peer as { priority?: number }).priority === 123,
          ),
      );
      expect(peering).toContain('lastseen');
    } finally {
      exit = await kopf.stop('SIGINT');
    }
    expect(exit, kopf.output).toEqual({ code: 0, signal: null });
  });
});

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Calls `read` until it returns `wanted` (or 30 s pass); resolves with the last value. */
async function poll<T>(read: () => Promise<T>, wanted: T): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (value === wanted || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
