import { createApiClient, createObject, deleteObject, observeNamespaces } from '@kopf/k8s';
import { FakeApiServer } from '@kopf/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { eventually, NAMESPACES, startCluster } from '../support.js';

describe('observeNamespaces', () => {
  it('follows namespaces matching glob patterns as they are created and deleted', async () => {
    const { client } = await startCluster();
    await createObject(client, NAMESPACES, { metadata: { name: 'team-a' } });
    const controller = new AbortController();
    const seen: string[][] = [];
    const done = (async () => {
      for await (const names of observeNamespaces(client, ['team-*, !team-x*', 'default'], {
        signal: controller.signal,
      })) {
        seen.push(names);
      }
    })();
    await eventually(() => seen.length >= 1);
    expect(seen[0]).toEqual(['default', 'team-a']);

    await createObject(client, NAMESPACES, { metadata: { name: 'team-b' } });
    await createObject(client, NAMESPACES, { metadata: { name: 'team-xyz' } }); // excluded: no change
    await createObject(client, NAMESPACES, { metadata: { name: 'other' } }); // not matched: no change
    await eventually(() => seen.at(-1)?.includes('team-b'));
    await deleteObject(client, NAMESPACES, { name: 'team-a' });
    await eventually(() => !seen.at(-1)?.includes('team-a'));
    controller.abort();
    await done;
    expect(seen).toEqual([
      ['default', 'team-a'],
      ['default', 'team-a', 'team-b'],
      ['default', 'team-b'],
    ]);
  });

  it('falls back to the plain names when listing namespaces is forbidden', async () => {
    const server = await FakeApiServer.start({
      authorize: (_user, request) => !(request.kind === 'resource' && request.resource === 'namespaces'),
    });
    const client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
    });
    onTestFinished(async () => {
      client.close();
      await server.stop();
    });
    const controller = new AbortController();
    const seen: string[][] = [];
    const done = (async () => {
      for await (const names of observeNamespaces(client, ['prod', 'team-*'], {
        signal: controller.signal,
      })) {
        seen.push(names);
      }
    })();
    await eventually(() => seen.length >= 1);
    controller.abort();
    await done;
    expect(seen).toEqual([['prod']]);
  });
});
