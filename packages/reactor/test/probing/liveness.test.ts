import { on, Registry } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { MemorySink, Operator } from '@kopf/reactor';
import { Cluster, FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, eventually } from '../talk/support.js';

let run: OperatorRun | undefined;
let server: FakeApiServer | undefined;
let operator: Operator | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  server?.faults.reset();
  await operator?.stop();
  client?.close();
  await server?.stop();
  await run?.stop();
  run = server = operator = client = undefined;
});

async function status(url: string): Promise<number> {
  return (await fetch(url)).status;
}

describe('the liveness endpoint', () => {
  it('answers the probe results while the watch works, and fails while the watch is dead', async () => {
    const registry = new Registry();
    let probes = 0;
    on.probe({ registry }, function watched_objects() {
      probes += 1;
      return { probes };
    });
    on.create('kopfexamples', { registry }, function create_fn() {});
    server = await FakeApiServer.start();
    // Requests give up after one quick retry, so a failing watch shows at once.
    const connection = { server: server.url, caData: server.caData, token: server.token };
    client = await createApiClient({ connection, errorBackoffs: [0.05] });
    await new Cluster(client).apply(CRD);
    operator = new Operator({
      registry,
      client,
      logs: new MemorySink(),
      liveness: 'http://127.0.0.1:0/healthz',
    });
    await operator.start();
    await operator.ready;
    const base = operator.livenessUrl ?? '';
    const healthy = await fetch(`${base}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ watched_objects: { probes: 1 } });
    expect(await status(`${base}/readyz`)).toBe(200);
    expect(await status(`${base}/other`)).toBe(404);

    const faults = server.faults;
    faults.failNext({ verb: 'watch', count: 100_000, code: 500 });
    faults.failNext({ verb: 'list', count: 100_000, code: 500 });
    faults.dropWatches({ abrupt: true });
    await eventually(async () => (await status(`${base}/healthz`)) === 503, 'the liveness fails', 20);
    const failing = (await (await fetch(`${base}/healthz`)).json()) as { problems: string[] };
    expect(failing.problems[0]).toMatch(/The watcher of kopfexamples\.v1\.kopf\.dev@\* keeps failing/);

    faults.reset();
    await eventually(async () => (await status(`${base}/healthz`)) === 200, 'the liveness recovers', 20);
  });

  it('is not served when the port is taken, and the start fails naming the endpoint', async () => {
    const registry = new Registry();
    run = await runOperator({ registry, apply: CRD, liveness: 'http://127.0.0.1:0/healthz' });
    const taken = run.operator.livenessUrl ?? '';
    const second = runOperator({ registry, server: run.server, liveness: `${taken}/healthz` });
    await expect(second).rejects.toThrow(/Serving the liveness endpoint at .* failed/);
  });
});
