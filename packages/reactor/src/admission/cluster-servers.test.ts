import { request } from 'node:https';
import type { AdmissionRequestHandler, WebhookClientConfig } from '@kopf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookDockerDesktopServer, WebhookK3dServer, WebhookMinikubeServer } from './cluster-servers.js';
import type { WebhookServer } from './webhook-server.js';

const running: AbortController[] = [];
afterEach(() => {
  for (const controller of running.splice(0)) controller.abort();
});

const ok: AdmissionRequestHandler = async () => ({ ok: true });

async function start(server: WebhookServer): Promise<WebhookClientConfig> {
  const controller = new AbortController();
  running.push(controller);
  const first = await server.serve(ok, { signal: controller.signal })[Symbol.asyncIterator]().next();
  if (first.done) throw new Error('The server yielded nothing.');
  return first.value;
}

/** Calls the server at 127.0.0.1, verifying its certificate for `servername` with the announced CA. */
function call(config: WebhookClientConfig, servername: string): Promise<number> {
  const url = new URL(config.url ?? '');
  const ca = Buffer.from(config.caBundle ?? '', 'base64').toString('utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: url.port, method: 'POST', ca, servername, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('servers for local clusters', () => {
  it.each([
    [WebhookK3dServer, 'host.k3d.internal'],
    [WebhookMinikubeServer, 'host.minikube.internal'],
    [WebhookDockerDesktopServer, 'host.docker.internal'],
  ])('%o announces and certifies the host the cluster reaches this machine by', async (Server, host) => {
    const config = await start(new Server({ addr: '127.0.0.1' }));
    expect(config.url).toMatch(new RegExp(`^https://${host.replaceAll('.', '\\.')}:\\d+$`));
    expect(await call(config, host)).toBe(200);
  });

  it('lets an explicit host win over the preset', () => {
    expect(new WebhookK3dServer({ host: 'my.host' }).host).toBe('my.host');
  });
});
