import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Exit, REPO, runKopf, startKopf } from './support/kopf.js';
import { kubectl, kubectlApply } from './support/kubectl.js';

let server: FakeApiServer;
let directory: string;
let kubeconfig: string;

beforeAll(async () => {
  server = await FakeApiServer.start();
  directory = await mkdtemp(join(tmpdir(), 'kopf-cli-peering-'));
  kubeconfig = join(directory, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
});

afterAll(async () => {
  await server?.stop();
  await rm(directory, { recursive: true, force: true });
});

async function peers(): Promise<Record<string, unknown>> {
  return (
    parse(await kubectl(kubeconfig, ['get', 'clusterkopfpeering', 'default', '-o', 'yaml'])).status ?? {}
  );
}

describe('kopf freeze and kopf resume', { timeout: 120_000 }, () => {
  it('fail in one line when the peering CRDs are not applied, naming the fix', async () => {
    const result = await runKopf(['freeze', '-P', 'default', '-t', '60', '--kubeconfig', kubeconfig]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `kopf freeze: Finding the peering resource failed: ClusterKopfPeering (kopf.dev) is not served by ${server.url}. ` +
        'Apply the peering CRDs first (@kopf/reactor/peering.yaml).\n',
    );
  });

  it('are usage errors without --peering or --lifetime', async () => {
    const noPeering = await runKopf(['freeze', '-t', '60', '--kubeconfig', kubeconfig]);
    expect(noPeering).toMatchObject({
      code: 2,
      stderr: 'kopf freeze: --peering NAME is required: the peering object of the operators.\n',
    });
    const noLifetime = await runKopf(['freeze', '-P', 'default', '--kubeconfig', kubeconfig]);
    expect(noLifetime).toMatchObject({
      code: 2,
      stderr: 'kopf freeze: --lifetime SECONDS is required: how long the freeze lasts.\n',
    });
  });

  it('pause a running operator and let it go on', async () => {
    await kubectl(kubeconfig, ['apply', '-f', join(REPO, 'examples/crd.yaml')]);
    await kubectlApply(kubeconfig, join(REPO, 'packages/reactor/peering.yaml'));
    const operator = join(REPO, 'examples/01-minimal/operator.ts');
    const kopf = startKopf(['run', operator, '-A', '--verbose', '--kubeconfig', kubeconfig]);
    let exit: Exit | undefined;
    try {
      await kopf.waitFor("Keep-alive in 'default' cluster-wide: ok.");
      const args = ['-P', 'default', '--id', 'maintenance', '--kubeconfig', kubeconfig];
      const frozen = await runKopf(['freeze', ...args, '-t', '600']);
      expect(frozen).toMatchObject({
        code: 0,
        stdout: "Froze the operators of the peering 'default' cluster-wide for 600 s (priority 100).\n",
      });
      expect(await peers()).toHaveProperty(
        'maintenance',
        expect.objectContaining({ priority: 100, lifetime: 600 }),
      );
      await kopf.waitFor('Pausing operations in favour of maintenance');

      await kubectl(kubeconfig, ['apply', '-f', join(REPO, 'examples/obj.yaml')]);
      const resumed = await runKopf(['resume', ...args]);
      expect(resumed).toMatchObject({
        code: 0,
        stdout: "Resumed the operators of the peering 'default' cluster-wide.\n",
      });
      expect(await peers()).not.toHaveProperty('maintenance');
      await kopf.waitFor("[default/kopf-example-1] Handler 'create_fn' succeeded.");
    } finally {
      exit = await kopf.stop('SIGINT');
    }
    expect(exit, kopf.output).toEqual({ code: 0, signal: null });
    const resumedAt = kopf.stderr.indexOf('Resuming operations after the pause');
    expect(resumedAt).toBeGreaterThan(kopf.stderr.indexOf('Pausing operations in favour of maintenance'));
    expect(kopf.stderr.indexOf("Handler 'create_fn' succeeded.")).toBeGreaterThan(resumedAt);
  });
});
