import type { RequestInfo } from '@kopf/k8s';
import { ApiConnectionError, ApiForbiddenError, createApiClient, getObject, listObjects } from '@kopf/k8s';
import { FakeApiServer } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { CONFIGMAPS, startCluster } from '../support.js';

describe('requests against a throttling or failing server', () => {
  it('honours Retry-After on 429 as the floor of the backoff', async () => {
    const attempts: (RequestInfo & { at: number })[] = [];
    const { server, client } = await startCluster({
      errorBackoffs: [0.01, 0.01],
      onRequest: (info) => attempts.push({ ...info, at: performance.now() }),
    });
    server.faults.failNext({ count: 1, code: 429, retryAfter: 1, verb: 'list', resource: 'configmaps' });
    const list = await listObjects(client, CONFIGMAPS, { namespace: 'default' });
    expect(list.items).toEqual([]);
    expect(attempts.map((a) => [a.attempt, a.status, a.retryIn])).toEqual([
      [1, 429, 1],
      [2, 200, undefined],
    ]);
    const [first, second] = attempts;
    expect(second!.at - second!.duration * 1000 - first!.at).toBeGreaterThanOrEqual(990);
    expect(server.counters.get({ verb: 'list', resource: 'configmaps' })).toBe(2);
  });

  it('retries 5xx with the backoffs and gives up after the last one', async () => {
    const { server, client } = await startCluster({ errorBackoffs: [0.01, 0.01, 0.01] });
    server.faults.failNext({ count: 3, code: 503, verb: 'get', resource: 'configmaps' });
    await expect(
      getObject(client, CONFIGMAPS, { name: 'absent', namespace: 'default' }),
    ).resolves.toBeUndefined();
    expect(server.counters.get({ verb: 'get', resource: 'configmaps' })).toBe(4);

    server.faults.failNext({ count: 5, code: 500, verb: 'get', resource: 'configmaps' });
    const error = await getObject(client, CONFIGMAPS, { name: 'absent', namespace: 'default' }).catch(
      (e) => e,
    );
    expect(error.code).toBe(500);
    expect(error.temporary).toBe(true);
  });

  it('fails at once on 403 without retrying', async () => {
    const server = await FakeApiServer.start({ authorize: (_user, request) => request.verb !== 'list' });
    const client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
      errorBackoffs: [0.01, 0.01],
    });
    try {
      const error = await listObjects(client, CONFIGMAPS).catch((e) => e);
      expect(error).toBeInstanceOf(ApiForbiddenError);
      expect(error.message).toContain('RBAC');
      expect(server.counters.get({ verb: 'list', resource: 'configmaps' })).toBe(1);
    } finally {
      client.close();
      await server.stop();
    }
  });

  it('names the server in one line when it cannot be reached', async () => {
    const { server, client } = await startCluster({ errorBackoffs: [0.01] });
    const url = server.url;
    await server.stop();
    const error = await listObjects(client, CONFIGMAPS).catch((e) => e);
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(error.message).toMatch(
      new RegExp(`^Cannot reach the Kubernetes API at ${url} \\(GET /api/v1/configmaps\\): `),
    );
    expect(error.message.split('\n')).toHaveLength(1);
  });
});
