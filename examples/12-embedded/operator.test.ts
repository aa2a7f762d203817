import { createApiClient } from '@kopf/k8s';
import { MemorySink } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, OBJ } from '../support.js';
import { startService } from './operator.js';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.stop();
});

describe('12-embedded', () => {
  it('serves what the embedded operator has handled, and stops both cleanly', async () => {
    server = await FakeApiServer.start();
    const connection = { server: server.url, caData: server.caData, token: server.token };
    const client = await createApiClient({ connection });
    const cluster = new Cluster(client);
    await cluster.apply(CRD);
    const service = await startService({ connection: { connection }, logs: new MemorySink() });
    try {
      await cluster.apply(OBJ);
      let body: { handled: string[] } = { handled: [] };
      for (let i = 0; i < 200 && body.handled.length === 0; i++) {
        body = (await (await fetch(service.url)).json()) as { handled: string[] };
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(body.handled).toEqual(['kopf-example-1']);
    } finally {
      await service.stop();
      client.close();
    }
  });
});
