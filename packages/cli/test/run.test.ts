import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Exit, REPO, startKopf } from './support/kopf.js';
import { kubectl, kubectlUntil } from './support/kubectl.js';

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
});
