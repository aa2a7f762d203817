/**
 * Found by the bad-input scenarios (see /work/notes/engine-findings.md, "From L2"): a
 * handler result too big for the API (a 3.5 MB `/status` patch is answered 413, the
 * server's limit being 3 MiB) stalls its object like a result JSON cannot hold
 * (no diff-base, never retried), and afterwards `operator.stop()` never resolves
 * (a 2 MB result, which the server accepts, stops at once). The last scenario shows
 * why without an operator: the next request on a client after a 413 is never answered.
 */
import { on, Registry } from '@kopf/core';
import { createApiClient, getObject, patchObject } from '@kopf/k8s';
import { Cluster, FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD } from '../talk/support.js';
import { creationFinished, exampleBody } from './bad-input-support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

async function runWithHugeResult(): Promise<OperatorRun> {
  const registry = new Registry();
  on.create('kopfexamples', { registry }, function create_fn() {
    return { big: 'y'.repeat(3_500_000) };
  });
  const started = await runOperator({ registry, apply: CRD });
  await started.cluster.apply(exampleBody('huge-result'));
  await started.waitForLog(/\[default\/huge-result\] .*too large/i, 15);
  return started;
}

describe('a handler result too big for the API', () => {
  it('does not keep the operator from stopping', async () => {
    const started = await runWithHugeResult();
    const stopping = Date.now();
    await Promise.race([started.stop(), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    expect(Date.now() - stopping).toBeLessThan(20_000);
  }, 60_000);

  it('fails the handler with a clear line and finishes the creation', async () => {
    run = await runWithHugeResult();
    const line = await run.waitForLog(/\[default\/huge-result\] Handler 'create_fn' .*too large/i, 15);
    expect(line).not.toContain('succeeded');
    await creationFinished(run, 'huge-result');
  }, 60_000);
});

describe('a client after a 413', () => {
  it('gets an answer to its next request', async () => {
    const server = await FakeApiServer.start();
    const connection = { server: server.url, caData: server.caData, token: server.token };
    const client = await createApiClient({ connection });
    try {
      await new Cluster(client).apply(CRD);
      await new Cluster(client).apply(exampleBody('x'));
      const resource = {
        group: 'kopf.dev',
        version: 'v1',
        plural: 'kopfexamples',
        namespaced: true,
      } as const;
      const ref = { name: 'x', namespace: 'default' };
      const big = { status: { big: 'y'.repeat(3_500_000) } };
      await expect(
        patchObject(client, resource, ref, big, { type: 'merge', subresource: 'status' }),
      ).rejects.toThrow(/too large/);
      const next = getObject(client, resource, ref).then(() => 'answered');
      const timeout = new Promise((resolve) => setTimeout(() => resolve('no answer within 5 s'), 5000));
      expect(await Promise.race([next, timeout])).toBe('answered');
    } finally {
      client.close();
      await server.stop();
    }
  }, 30_000);
});
