import { type Body, on, PermanentError, Registry, TemporaryError } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { MemorySink, Operator, StartupError } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ } from '../talk/support.js';

let server: FakeApiServer | undefined;
let operator: Operator | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await operator?.stop();
  client?.close();
  await server?.stop();
  server = operator = client = undefined;
});

async function startServer(): Promise<{ server: FakeApiServer; cluster: Cluster }> {
  server = await FakeApiServer.start();
  client = await createApiClient({
    connection: { server: server.url, caData: server.caData, token: server.token },
  });
  const cluster = new Cluster(client);
  await cluster.apply(CRD);
  return { server, cluster };
}

describe('activities', () => {
  it('log in, start up, probe and clean up in order; a 401 makes the operator log in again', async () => {
    const { server, cluster } = await startServer();
    const registry = new Registry();
    const order: string[] = [];
    on.login({ registry }, function login_fn() {
      const attempt = order.filter((step) => step.startsWith('login')).length + 1;
      order.push(`login ${attempt}`);
      // The first credentials are already expired: the server answers 401 to them.
      const token = attempt === 1 ? 'expired-token' : server.token;
      return { server: server.url, caData: server.caData, token };
    });
    on.startup({ registry }, function startup_fn({ memo }) {
      order.push('startup');
      memo.greeting = 'hello';
    });
    on.create('kopfexamples', { registry }, function create_fn({ memo }) {
      order.push(`create ${memo.greeting}`);
      return { ok: true };
    });
    on.probe({ registry }, function probe_fn() {
      order.push('probe');
      return 'alive';
    });
    on.cleanup({ registry }, function cleanup_fn() {
      order.push('cleanup');
    });
    const logs = new MemorySink();
    operator = new Operator({ registry, logs, liveness: 'http://127.0.0.1:0/healthz' });
    await operator.start();
    await operator.ready;
    await cluster.apply(OBJ);
    await cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);

    const health = await fetch(`${operator.livenessUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ probe_fn: 'alive' });
    expect((await fetch(`${operator.livenessUrl}/healthz`)).status).toBe(200); // cached: no second probe

    await operator.stop();
    expect(order).toEqual(['login 1', 'startup', 'login 2', 'create hello', 'probe', 'cleanup']);
  });

  it('refuse to start when a startup handler fails, naming the handler and its error', async () => {
    const { server } = await startServer();
    const registry = new Registry();
    on.startup({ registry }, function connect_db() {
      throw new PermanentError('the database is unreachable');
    });
    on.create('kopfexamples', { registry }, function create_fn() {});
    operator = new Operator({ registry, client, logs: new MemorySink() });
    const before = server.counters.get({ verb: 'watch' });
    const failure = await operator.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as Error).message).toContain("startup handler 'connect_db': the database is unreachable");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.counters.get({ verb: 'watch' })).toBe(before);
    await operator.stop();
  });

  it('run the cleanup handlers once when stopped twice at the same time', async () => {
    await startServer();
    const registry = new Registry();
    const calls: string[] = [];
    on.cleanup({ registry }, function cleanup_fn() {
      calls.push('cleanup');
    });
    operator = new Operator({ registry, client, logs: new MemorySink() });
    await operator.start();
    await operator.ready;
    await Promise.all([operator.stop(), operator.stop()]);
    await eventually(() => calls.length === 1, 'cleanup ran');
    expect(calls).toEqual(['cleanup']);
  });

  it('stop while a startup handler keeps retrying: the start gives up, and ready says it never was', async () => {
    await startServer();
    const registry = new Registry();
    let attempts = 0;
    on.startup({ registry }, function waiting_for_db() {
      attempts += 1;
      throw new TemporaryError('the database is not up yet', { delay: 60 });
    });
    operator = new Operator({ registry, client, logs: new MemorySink() });
    const starting = operator.start();
    await eventually(() => attempts === 1, 'the startup handler is tried');
    const began = Date.now();
    await operator.stop();
    await starting;
    expect(Date.now() - began).toBeLessThan(5_000);
    await expect(operator.ready).rejects.toThrow('The operator has stopped before it was ready.');
    expect(attempts).toBe(1);
  });
});
