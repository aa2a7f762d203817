import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:tls';
import { FakeApiServer } from '@kopf/testing';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from './support.js';

let server: FakeApiServer;

beforeAll(async () => {
  server = await FakeApiServer.start({
    token: 'secret-token',
    version: { major: '1', minor: '31', gitVersion: 'v1.31.2' },
  });
});

afterAll(async () => {
  await server.stop();
});

describe('transport', () => {
  it('serves HTTPS with a certificate for 127.0.0.1 signed by its CA, offering http/1.1 by ALPN', async () => {
    const protocol = await new Promise<string | false | null>((resolve, reject) => {
      const url = new URL(server.url);
      const socket = connect(
        { host: url.hostname, port: Number(url.port), ca: server.caData, ALPNProtocols: ['h2', 'http/1.1'] },
        () => {
          resolve(socket.alpnProtocol);
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    expect(protocol).toBe('http/1.1');
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 401 with the exact Unauthorized Status for a bad or missing token', async () => {
    for (const response of [
      await raw(server, '/api/v1/namespaces', { token: 'wrong' }),
      await raw(server, '/api', { anonymous: true }),
    ]) {
      expect(response.status).toBe(401);
      expect(response.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('lets anyone read health and version, as a cluster with anonymous health checks does', async () => {
    const health = await raw(server, '/readyz?verbose', { anonymous: true });
    expect(health.status).toBe(200);
    expect(health.text).toMatch(/\[\+\]ping ok[\s\S]*readyz check passed\n$/);
    const version = await raw(server, '/version', { anonymous: true });
    expect(version.json()).toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.2' });
  });

  it('authenticates client certificates signed by its CA', async () => {
    const certificate = await server.clientCertificate('alice', ['devs']);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: server.url, caData: Buffer.from(server.caData).toString('base64') }],
      users: [
        {
          name: 'alice',
          certData: Buffer.from(certificate.certPem).toString('base64'),
          keyData: Buffer.from(certificate.keyPem).toString('base64'),
        },
      ],
      contexts: [{ name: 'c', cluster: 'c', user: 'alice' }],
      currentContext: 'c',
    });
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((namespace) => namespace.metadata?.name)).toContain('default');
  });

  it("gives every server its own CA: another server's client certificate gets 401", async () => {
    const other = await FakeApiServer.start();
    try {
      expect(other.caData).not.toBe(server.caData);
      const foreign = await other.clientCertificate('mallory');
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL('/api/v1/namespaces', server.url);
        httpsRequest(url, { ca: server.caData, cert: foreign.certPem, key: foreign.keyPem }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('answers JSON with the real headers, YAML on request, and 406 when nothing is acceptable', async () => {
    const json = await raw(server, '/api/v1/namespaces/default', {
      headers: { Accept: 'application/vnd.kubernetes.protobuf,application/json' },
    });
    expect(json.headers['content-type']).toBe('application/json');
    expect(json.headers['cache-control']).toBe('no-cache, private');
    expect(json.headers['audit-id']).toMatch(/^[0-9a-f-]{36}$/);
    const yaml = await raw(server, '/api/v1/namespaces/default', { headers: { Accept: 'application/yaml' } });
    expect(yaml.headers['content-type']).toBe('application/yaml');
    expect(yaml.text).toMatch(/^apiVersion: v1\nkind: Namespace\n/);
    const none = await raw(server, '/api/v1/namespaces/default', { headers: { Accept: 'text/html' } });
    expect(none.status).toBe(406);
    expect(none.json()).toMatchObject({ reason: 'NotAcceptable', code: 406 });
  });

  it('answers 415 for an unknown body type and 404 for unknown paths and resources', async () => {
    const body = await raw(server, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: 'x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(body.status).toBe(415);
    expect(body.json()).toMatchObject({ reason: 'UnsupportedMediaType' });
    for (const path of ['/nope', '/api/v1/nopes', '/apis/nope.dev/v1/things', '/api/v1/configmaps/x']) {
      const response = await raw(server, path);
      expect(response.status).toBe(404);
      expect(response.json()).toMatchObject({
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
      });
    }
  });

  it('answers 405 for methods a subresource does not allow', async () => {
    const response = await raw(server, '/api/v1/namespaces/default/finalize');
    expect(response.status).toBe(405);
    expect(response.json()).toMatchObject({ reason: 'MethodNotAllowed' });
  });

  it('serves plain HTTP when asked, with a kubeconfig that client-node accepts', async () => {
    const plain = await FakeApiServer.start({ tls: false });
    try {
      expect(plain.url).toMatch(/^http:\/\//);
      expect(plain.caData).toBe('');
      const kc = new KubeConfig();
      kc.loadFromString(plain.kubeconfig());
      const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
      expect(namespaces.items.length).toBeGreaterThanOrEqual(4);
      const status = await new Promise<number>((resolve, reject) => {
        httpRequest(`${plain.url}/api`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(401);
    } finally {
      await plain.stop();
    }
  });

  it('creates the requested namespaces besides the system ones', async () => {
    const extra = await FakeApiServer.start({ namespaces: ['ns-a', 'ns-b'] });
    try {
      const names = (await raw(extra, '/api/v1/namespaces')).json().items as { metadata: { name: string } }[];
      expect(names.map((item) => item.metadata.name)).toEqual([
        'default',
        'kube-node-lease',
        'kube-public',
        'kube-system',
        'ns-a',
        'ns-b',
      ]);
    } finally {
      await extra.stop();
    }
  });

  it('uses the given token and writes kubeconfigs a person can use', async () => {
    expect(server.token).toBe('secret-token');
    const config = server.kubeconfig({ context: 'mine', namespace: 'dev' });
    expect(config).toContain('current-context: mine');
    expect(config).toContain('namespace: dev');
    expect(server.kubeconfig()).toContain('token: secret-token');
  });

  it('answers 403 with the real wording when the authorize hook denies', async () => {
    const guarded = await FakeApiServer.start({
      authorize: (_user, request) =>
        request.kind === 'nonresource' || request.verb !== 'delete' || 'deletes are off',
    });
    try {
      expect((await raw(guarded, '/api/v1/namespaces/default/configmaps')).status).toBe(200);
      const denied = await raw(guarded, '/api/v1/namespaces/default/configmaps/x', { method: 'DELETE' });
      expect(denied.status).toBe(403);
      expect(denied.json()).toMatchObject({
        reason: 'Forbidden',
        message:
          'configmaps "x" is forbidden: User "kopf-fake-admin" cannot delete resource "configmaps" in API group "" in the namespace "default": deletes are off',
        details: { name: 'x', kind: 'configmaps' },
      });
    } finally {
      await guarded.stop();
    }
  });
});
