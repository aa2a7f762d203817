import { FakeApiServer } from '@kopf/testing';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigFor, raw } from './support.js';

let server: FakeApiServer;

beforeAll(async () => {
  server = await FakeApiServer.start();
});

afterEach(() => {
  server.faults.reset();
});

afterAll(async () => {
  await server.stop();
});

describe('faults', () => {
  it('fails the next matching requests with 429 and Retry-After, then recovers', async () => {
    server.faults.failNext({ count: 2, code: 429, retryAfter: 3, verb: 'list', resource: 'configmaps' });
    const other = await raw(server, '/api/v1/namespaces/default/secrets');
    expect(other.status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const failed = await raw(server, '/api/v1/namespaces/default/configmaps');
      expect(failed.status).toBe(429);
      expect(failed.headers['retry-after']).toBe('3');
      expect(failed.json()).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 3 } });
    }
    expect((await raw(server, '/api/v1/namespaces/default/configmaps')).status).toBe(200);
  });

  it('fails with 500 and 503 as client-node sees them', async () => {
    server.faults.failNext({ count: 1, code: 500 });
    server.faults.failNext({ count: 1, code: 503 });
    const core = kubeConfigFor(server).makeApiClient(CoreV1Api);
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 500 });
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 503 });
    await expect(core.listNamespace()).resolves.toMatchObject({ kind: 'NamespaceList' });
  });

  it('delays matching responses', async () => {
    server.faults.delay({ ms: 300, verb: 'get', count: 1 });
    const started = Date.now();
    await raw(server, '/api/v1/namespaces/default');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('counts requests by verb, resource and subresource', async () => {
    server.counters.reset();
    await raw(server, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'counted' } },
    });
    await raw(server, '/api/v1/namespaces/default/configmaps/counted', {
      method: 'PATCH',
      body: '{"data":{"a":"b"}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    await raw(server, '/api/v1/namespaces/default/configmaps/counted');
    await raw(server, '/api/v1/namespaces/default/status');
    expect(server.counters.get({ verb: 'create', resource: 'configmaps' })).toBe(1);
    expect(server.counters.get({ verb: 'patch' })).toBe(1);
    expect(server.counters.get({ resource: 'configmaps' })).toBe(3);
    expect(server.counters.get({ resource: 'namespaces', subresource: 'status' })).toBe(1);
    expect(server.counters.snapshot()).toMatchObject({ 'create configmaps': 1, 'get namespaces/status': 1 });
  });
});
