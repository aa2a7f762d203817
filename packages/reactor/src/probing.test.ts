import { asap, on, PermanentError, Registry } from '@kopf/core';
import { FakeClock } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { Health } from './health.js';
import { MemorySink } from './logging.js';
import { Probes, probingRoutes } from './probing.js';
import { parseEndpoint, serveEndpoint } from './serving.js';
import { resolveSettings } from './settings.js';

function probes(registry: Registry, clock: FakeClock): Probes {
  return new Probes({
    registry,
    settings: resolveSettings(),
    clock,
    lifecycle: asap,
    memo: {},
    indexes: {},
    logs: new MemorySink(),
  });
}

describe('Probes', () => {
  it('run all probes on demand and reuse the results for 10 seconds', async () => {
    const registry = new Registry();
    let runs = 0;
    on.probe({ registry }, function counter() {
      runs += 1;
      return runs;
    });
    on.probe({ registry }, function nothing() {});
    const clock = new FakeClock();
    const subject = probes(registry, clock);
    const [first, second] = await Promise.all([subject.results(), subject.results()]);
    expect(first).toEqual({ counter: 1 });
    expect(second).toBe(first);
    await clock.advance(9_999);
    expect(await subject.results()).toEqual({ counter: 1 });
    await clock.advance(1);
    expect(await subject.results()).toEqual({ counter: 2 });
  });
});

describe('the probing routes', () => {
  it('answer 200 with results, 503 with the problems, 500 when a probe fails, and readiness apart', async () => {
    const registry = new Registry();
    let broken = false;
    on.probe({ registry }, function check() {
      if (broken) throw new PermanentError('the database is gone');
      return 'ok';
    });
    const clock = new FakeClock();
    const health = new Health(() => clock.now());
    const watcher = health.watcher('pods.v1.@*');
    let notReady = ['Not every watched resource has been listed yet.'];
    const routes = probingRoutes('/healthz', {
      health,
      probes: probes(registry, clock),
      notReady: () => notReady,
    });

    expect(await routes['/healthz']?.()).toEqual({ status: 200, body: '{"check":"ok"}\n' });
    expect((await routes['/readyz']?.())?.status).toBe(503);
    notReady = [];
    expect(await routes['/readyz']?.()).toEqual({ status: 200, body: '{"status":"ready"}\n' });

    watcher.restarted?.('error', { error: new Error('connection refused'), delay: 2, resourceVersion: '1' });
    expect((await routes['/healthz']?.())?.status).toBe(200); // one error is not a failure
    watcher.restarted?.('error', { error: new Error('connection refused'), delay: 4, resourceVersion: '1' });
    const failing = await routes['/healthz']?.();
    expect(failing?.status).toBe(503);
    expect(JSON.parse(failing?.body ?? '{}').problems).toEqual([
      'The watcher of pods.v1.@* keeps failing (2 errors in a row): connection refused',
    ]);
    await clock.advance(10_000); // no further error after the retry: it has worked
    expect((await routes['/healthz']?.())?.status).toBe(200);
    watcher.failed(new Error('framework bug'));
    expect((await routes['/healthz']?.())?.status).toBe(503);

    const healthy = new Health(() => clock.now());
    broken = true;
    await clock.advance(10_000);
    const routes2 = probingRoutes('/healthz', {
      health: healthy,
      probes: probes(registry, clock),
      notReady: () => [],
    });
    const failed = await routes2['/healthz']?.();
    expect(failed?.status).toBe(500);
    expect(failed?.body).toContain('the database is gone');
  });
});

describe('endpoints', () => {
  it('reject URLs that are not plain http, naming the fix', () => {
    expect(() => parseEndpoint('https://0.0.0.0:8080/healthz', 'liveness')).toThrow(/only http:\/\/ URLs/);
    expect(() => parseEndpoint('8080', 'liveness')).toThrow(/use e\.g\. http:\/\/0\.0\.0\.0:8080\/healthz/);
    expect(parseEndpoint('http://0.0.0.0:8080/healthz', 'liveness')).toEqual({
      host: '0.0.0.0',
      port: 8080,
      path: '/healthz',
    });
  });

  it('serve routes on a free port, answer 404 and 405 elsewhere, and close without leftovers', async () => {
    const endpoint = await serveEndpoint('http://127.0.0.1:0/x', 'test', {
      '/x': async () => ({ status: 200, body: 'yes' }),
    });
    expect(await (await fetch(`${endpoint.url}/x`)).text()).toBe('yes');
    expect((await fetch(`${endpoint.url}/y`)).status).toBe(404);
    expect((await fetch(`${endpoint.url}/x`, { method: 'POST' })).status).toBe(405);
    await endpoint.close();
    await expect(fetch(`${endpoint.url}/x`)).rejects.toThrow();
  });
});
