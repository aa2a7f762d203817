/**
 * The operator's `connection` option: what the embedder gives there wins over the
 * `settings.networking` defaults, and the embedder's `onRequest` observer (what
 * `kopf run --debug` logs with) keeps seeing every request when the metrics
 * endpoint counts them too.
 */
import { type Body, on, Registry } from '@kopf/core';
import { createApiClient, type HttpClient, type RequestInfo } from '@kopf/k8s';
import { MemorySink, Operator } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../talk/support.js';

let server: FakeApiServer | undefined;
let client: HttpClient | undefined;
let operator: Operator | undefined;
afterEach(async () => {
  await operator?.stop();
  client?.close();
  await server?.stop();
  server = client = operator = undefined;
});

describe('the connection option', () => {
  it('wins over settings.networking, and its onRequest sees requests alongside the metrics', async () => {
    server = await FakeApiServer.start();
    client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
    });
    const cluster = new Cluster(client);
    await cluster.apply(CRD);
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {
      return { ok: true };
    });
    const seen: RequestInfo[] = [];
    operator = new Operator({
      registry,
      logs: new MemorySink(),
      namespaces: ['default'],
      metrics: 'http://127.0.0.1:0/metrics',
      // A backoff of 7 s would outlast the test: the connection's own must be used.
      settings: { networking: { errorBackoffs: [7, 7, 7] } },
      connection: {
        connection: { server: server.url, caData: server.caData, token: server.token },
        errorBackoffs: [0.05, 0.05],
        onRequest: (info) => seen.push(info),
      },
    });
    await operator.start();
    server.faults.failNext({ verb: 'patch', resource: 'kopfexamples', count: 1, code: 500 });
    await cluster.apply(OBJ);
    await cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined, { timeout: 5 });

    const failed = seen.find((info) => info.method === 'PATCH' && info.status === 500);
    expect(failed?.retryIn).toBe(0.05);
    expect(seen.some((info) => info.method === 'PATCH' && info.status === 200)).toBe(true);
    const metrics = await (await fetch(`${operator.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/kopf_api_attempts_total\{[^}]*method="PATCH"[^}]*code="500"[^}]*\} 1/);
  });
});
