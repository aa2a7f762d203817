import { ApiError, createApiClient, createObject, watchObjects } from '@kopf/k8s';
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

describe('FakeServerProcess faults', () => {
  it("fails a share of one user's writes, drops watches and compacts the history on request", {
    timeout: 60_000,
  }, async () => {
    server = await FakeServerProcess.start({ namespaces: ['bench'], users: { 'op-token': 'operator' } });
    const connection = { ...server.connection, token: 'op-token' };
    const operator = await createApiClient({ connection, errorBackoffs: [] });
    const admin = await createApiClient({ connection: server.connection, errorBackoffs: [] });
    const configMaps = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
    const controller = new AbortController();
    try {
      await server.failWrites({ ratio: 0.5, username: 'operator', seed: 'test' });
      let failed = 0;
      for (let i = 0; i < 40; i++) {
        const body = { metadata: { name: `op-${i}`, namespace: 'bench' } };
        await createObject(operator, configMaps, body).catch((error: unknown) => {
          if (!(error instanceof ApiError) || ![500, 429].includes(error.code)) throw error;
          failed += 1;
        });
      }
      const counts = await server.stopFaults();
      expect(failed).toBeGreaterThan(5);
      expect(counts.failed).toBeGreaterThanOrEqual(failed);
      expect(counts.passed).toBe(40 - failed);
      await createObject(operator, configMaps, { metadata: { name: 'after', namespace: 'bench' } });

      const restarts: string[] = [];
      const events = watchObjects(admin, configMaps, {
        namespace: 'bench',
        signal: controller.signal,
        onRestart: (reason) => restarts.push(reason),
      });
      let synced = 0;
      const consuming = (async () => {
        for await (const event of events) if (event.type === 'SYNCED') synced += 1;
      })();
      const until = async (check: () => boolean | Promise<boolean>): Promise<void> => {
        for (let tries = 0; !(await check()) && tries < 500; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await until(() => synced === 1);
      // A change this watch does not see: its resourceVersion falls behind the compaction.
      await createObject(admin, configMaps, { metadata: { name: 'elsewhere', namespace: 'default' } });
      await server.compactHistory();
      let dropped = 0;
      const drop = async (): Promise<boolean> => {
        dropped = (await server?.dropWatches()) ?? 0;
        return dropped > 0; // the watch request follows the list a moment later
      };
      await until(drop);
      expect(dropped).toBe(1);
      await until(() => synced === 2);
      controller.abort();
      await consuming;
      expect(restarts).toContain('expired');
    } finally {
      controller.abort();
      operator.close();
      admin.close();
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
