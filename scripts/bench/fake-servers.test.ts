import { createApiClient, createObject } from '@kopf/k8s';
import { afterEach, describe, expect, it } from 'vitest';
import { countersDelta, FakeServerProcess } from './fake-servers.js';

let server: FakeServerProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('FakeServerProcess', () => {
  it('serves in its own process and reports its counters on request', { timeout: 60_000 }, async () => {
    server = await FakeServerProcess.start({ namespaces: ['bench'] });
    expect(server.pid).not.toBe(process.pid);
    const client = await createApiClient({ connection: server.connection });
    try {
      const configMaps = { group: '', version: 'v1', plural: 'configmaps' };
      await createObject(client, configMaps, { metadata: { name: 'one', namespace: 'bench' } });
      expect((await server.counters())['create configmaps']).toBe(1);

      await server.resetCounters();
      await createObject(client, configMaps, { metadata: { name: 'two', namespace: 'bench' } });
      expect(await server.counters()).toEqual({ 'create configmaps': 1 });
      expect((await server.usage()).cpuSeconds).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });
});

describe('countersDelta', () => {
  it('subtracts per key and leaves out what did not change', () => {
    expect(
      countersDelta({ 'list a': 3, 'patch a': 5, 'get /api': 1 }, { 'list a': 3, 'patch a': 2 }),
    ).toEqual({
      'patch a': 3,
      'get /api': 1,
    });
  });
});
