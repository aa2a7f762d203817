import { type Body, on, Registry } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { MemorySink, Operator } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from '../support/processes.js';
import { CRD, eventually, OBJ } from '../talk/support.js';

const SERVICE = new URL('./fixtures/service.ts', import.meta.url).pathname;
const RUN = new URL('./fixtures/run-until-signal.ts', import.meta.url).pathname;

let server: FakeApiServer | undefined;
let client: HttpClient | undefined;
let fixture: Fixture | undefined;
const operators: Operator[] = [];
afterEach(async () => {
  fixture?.child.kill('SIGKILL');
  await Promise.all(operators.splice(0).map((operator) => operator.stop()));
  client?.close();
  await server?.stop();
  server = client = fixture = undefined;
});

async function startCluster(): Promise<Cluster> {
  server = await FakeApiServer.start();
  client = await createApiClient({
    connection: { server: server.url, caData: server.caData, token: server.token },
  });
  const cluster = new Cluster(client);
  await cluster.apply(CRD);
  return cluster;
}

describe('embedding', () => {
  it('runs inside a plain Node HTTP service that starts, serves, and stops cleanly: the process exits on its own', async () => {
    const cluster = await startCluster();
    fixture = startFixture(SERVICE, server as FakeApiServer);
    await fixture.waitFor('listening');
    const url = /listening (\S+)/.exec(fixture.output())?.[1] ?? '';
    await cluster.apply(OBJ);
    await eventually(async () => {
      const state = (await (await fetch(url)).json()) as { handled: string[] };
      return state.handled.includes('kopf-example-1');
    }, 'the embedded operator handles the object');
    const state = (await (await fetch(url)).json()) as { liveness: string };
    expect((await fetch(`${state.liveness}/healthz`)).status).toBe(200);

    fixture.child.kill('SIGTERM');
    const code = await fixture.exited(15);
    expect(code, 'the process did not exit on its own within 15 s: handles were left open').toBe(0);
    const events = JSON.parse(/stopped (.*)/.exec(fixture.output())?.[1] ?? '[]') as string[];
    expect(events.sort()).toEqual([
      'started ticker',
      'started watcher',
      'stopped ticker operator-exiting',
      'stopped watcher operator-exiting',
    ]);
  });

  it('runs two operators with separate registries in one process, each with its own handlers', async () => {
    const cluster = await startCluster();
    const first = new Registry();
    const second = new Registry();
    const seen: string[] = [];
    on.create('kopfexamples', { registry: first }, function create_fn({ name }) {
      seen.push(`first ${name}`);
      return { by: 'first' };
    });
    on.event('configmaps', { registry: second }, function cm_event({ name, type }) {
      if (name === 'settings' && type === 'ADDED') seen.push(`second ${name}`);
    });
    for (const registry of [first, second]) {
      const operator = new Operator({ registry, client, logs: new MemorySink(), standalone: true });
      operators.push(operator);
      await operator.start();
      await operator.ready;
    }
    await cluster.apply(OBJ);
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
    });
    await cluster.waitFor<Body>(
      { resource: 'kopfexamples', name: 'kopf-example-1' },
      (o) => o?.status?.create_fn !== undefined,
    );
    await eventually(() => seen.length === 2, 'both operators handled their objects');
    expect(seen.sort()).toEqual(['first kopf-example-1', 'second settings']);
  });

  it('run() stops gracefully on SIGINT: cleanup handlers run, and the process exits on its own', async () => {
    const cluster = await startCluster();
    fixture = startFixture(RUN, server as FakeApiServer);
    await fixture.waitFor('started');
    await cluster.apply(OBJ);
    await cluster.waitFor<Body>(
      { resource: 'kopfexamples', name: 'kopf-example-1' },
      (o) => o?.status?.create_fn !== undefined,
    );
    fixture.child.kill('SIGINT');
    expect(await fixture.exited(15)).toBe(0);
    expect(fixture.output()).toContain('Signal SIGINT is received. Operator is stopping.');
    const output = fixture.output();
    expect(output.indexOf('cleaned up')).toBeGreaterThan(-1);
    expect(output.indexOf('run() has returned')).toBeGreaterThan(output.indexOf('cleaned up'));
  });

  it('stop() abandons what is still busy after process.ultimateExitingTimeout', async () => {
    await startCluster();
    const registry = new Registry();
    on.cleanup({ registry }, function hanging_cleanup() {
      return new Promise(() => {}); // never settles
    });
    const logs = new MemorySink();
    const operator = new Operator({
      registry,
      client,
      logs,
      settings: { process: { ultimateExitingTimeout: 0.3 } },
    });
    await operator.start();
    await operator.ready;
    const started = Date.now();
    await operator.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(logs.lines('warning')).toContain(
      'The operator did not stop gracefully within 0.3 seconds; the rest is abandoned.',
    );
  });
});
