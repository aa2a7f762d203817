/**
 * `trustEnv` (Kopf's `networking.trust_env`): requests reach the API server
 * through the proxy of `HTTPS_PROXY`, honouring `NO_PROXY`; without it, the
 * environment's proxy is not used.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { createApiClient, listObjects } from '@kopf/k8s';
import { FakeApiServer } from '@kopf/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIGMAPS } from '../support.js';

let server: FakeApiServer;
let proxy: Server;
let tunnels: string[];
const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

beforeEach(async () => {
  server = await FakeApiServer.start();
  tunnels = [];
  proxy = createServer();
  proxy.on('connect', (request, client, head) => {
    tunnels.push(request.url ?? '');
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  process.env.NO_PROXY = '';
});

afterEach(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  proxy.closeAllConnections();
  proxy.close();
  await server.stop();
});

describe('the environment proxy', () => {
  const connection = () => ({ server: server.url, caData: server.caData, token: server.token });

  it('is used with trustEnv', async () => {
    const client = await createApiClient({ connection: connection(), trustEnv: true });
    try {
      const listed = await listObjects(client, CONFIGMAPS, { namespace: 'default' });
      expect(listed.items).toEqual([]);
      expect(tunnels).toEqual([new URL(server.url).host]);
    } finally {
      client.close();
    }
  });

  it('is not used without trustEnv, nor for hosts in NO_PROXY', async () => {
    const plain = await createApiClient({ connection: connection() });
    process.env.NO_PROXY = new URL(server.url).hostname;
    const excluded = await createApiClient({ connection: connection(), trustEnv: true });
    try {
      await listObjects(plain, CONFIGMAPS, { namespace: 'default' });
      await listObjects(excluded, CONFIGMAPS, { namespace: 'default' });
      expect(tunnels).toEqual([]);
    } finally {
      plain.close();
      excluded.close();
    }
  });
});
