import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionInfo, RequestInfo } from '@kopf/k8s';
import {
  ApiConfigError,
  ApiConnectionError,
  ApiUnauthorizedError,
  createApiClient,
  listObjects,
} from '@kopf/k8s';
import { FakeApiServer } from '@kopf/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CONFIGMAPS, rejection } from '../support.js';

async function started(): Promise<{ server: FakeApiServer; dir: string }> {
  const server = await FakeApiServer.start();
  const dir = await mkdtemp(join(tmpdir(), 'kopf-k8s-auth-'));
  onTestFinished(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return { server, dir };
}

/** A kubeconfig object for the server with this user entry. */
function kubeconfigObject(
  server: FakeApiServer,
  user: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'fake',
        cluster: {
          server: server.url,
          'certificate-authority-data': Buffer.from(server.caData).toString('base64'),
        },
      },
    ],
    users: [{ name: 'me', user }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'me', namespace: 'team-a' } }],
    'current-context': 'fake',
    ...extra,
  };
}

const closing = <T extends { close(): void }>(client: T): T => {
  onTestFinished(() => client.close());
  return client;
};

describe('in-cluster credentials', () => {
  it('picks up a rotated token file', async () => {
    const { server, dir } = await started();
    await writeFile(join(dir, 'token'), 'expired-token\n');
    await writeFile(join(dir, 'ca.crt'), server.caData);
    await writeFile(join(dir, 'namespace'), 'operators');
    const port = new URL(server.url).port;
    const attempts: RequestInfo[] = [];
    const client = closing(
      await createApiClient({
        inCluster: { host: '127.0.0.1', port, directory: dir },
        onRequest: (info) => attempts.push(info),
      }),
    );
    expect(client.defaultNamespace).toBe('operators');
    await expect(listObjects(client, CONFIGMAPS)).rejects.toThrow(ApiUnauthorizedError);
    expect(attempts.map((a) => a.status)).toEqual([401, 401]); // re-read once after the 401, then gave up

    await writeFile(join(dir, 'token'), `${server.token}\n`); // the kubelet rotates the projected token
    await expect(listObjects(client, CONFIGMAPS)).resolves.toMatchObject({ items: [] });
  });

  it('explains what is missing outside a pod', async () => {
    const { dir } = await started();
    const error = await createApiClient({ inCluster: { host: '127.0.0.1', port: 1, directory: dir } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ApiConfigError);
    expect(error.message).toContain(`the service-account token ${join(dir, 'token')} is missing or empty`);
  });
});

describe('login functions', () => {
  it('are re-run on 401 and the request retried with the new credentials', async () => {
    const { server } = await started();
    const tokens = ['stale-token', server.token];
    let logins = 0;
    const client = closing(
      await createApiClient({
        connection: async (): Promise<ConnectionInfo> => ({
          server: server.url,
          caData: server.caData,
          token: tokens[logins++] ?? 'none',
          defaultNamespace: 'ops',
        }),
      }),
    );
    await expect(listObjects(client, CONFIGMAPS)).resolves.toMatchObject({ items: [] });
    expect(logins).toBe(2);
    expect(client.defaultNamespace).toBe('ops');
  });

  it('authenticate with client certificates signed by the cluster CA', async () => {
    const { server } = await started();
    const pair = await server.clientCertificate('operator', ['system:masters']);
    const client = closing(
      await createApiClient({
        connection: {
          server: server.url,
          caData: server.caData,
          certificateData: pair.certPem,
          privateKeyData: pair.keyPem,
        },
      }),
    );
    await expect(listObjects(client, CONFIGMAPS)).resolves.toMatchObject({ items: [] });
  });
});

describe('TLS verification', () => {
  it('trusts the given CA, refuses an unknown one, and can be switched off', async () => {
    const { server } = await started();
    const unverified = closing(
      await createApiClient({ connection: { server: server.url, token: server.token }, errorBackoffs: [] }),
    );
    const error = await rejection(listObjects(unverified, CONFIGMAPS));
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(error.message).toMatch(/certificate/);
    const insecure = closing(
      await createApiClient({ connection: { server: server.url, token: server.token, insecure: true } }),
    );
    await expect(listObjects(insecure, CONFIGMAPS)).resolves.toMatchObject({ items: [] });
  });
});

describe('the automatic configuration', () => {
  it('says what it looked for when there is nothing to use', async () => {
    const { dir } = await started();
    const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
    process.env.HOME = dir;
    delete process.env.KUBECONFIG;
    onTestFinished(() => {
      process.env.HOME = saved.HOME;
      if (saved.KUBECONFIG !== undefined) process.env.KUBECONFIG = saved.KUBECONFIG;
    });
    const error = await rejection(createApiClient());
    expect(error).toBeInstanceOf(ApiConfigError);
    expect(error.message).toBe(
      'Loading the Kubernetes configuration failed: no KUBECONFIG, no ~/.kube/config, and not in a pod. ' +
        'Point KUBECONFIG to a kubeconfig, or pass `kubeconfig`, `inCluster` or `connection`.',
    );
  });
});

describe('kubeconfig credentials', () => {
  it('are re-loaded from the file on 401', async () => {
    const { server, dir } = await started();
    const path = join(dir, 'kubeconfig');
    await writeFile(path, JSON.stringify(kubeconfigObject(server, { token: 'revoked-token' })));
    const client = closing(await createApiClient({ kubeconfig: path }));
    expect(client.defaultNamespace).toBe('team-a');
    await writeFile(path, JSON.stringify(kubeconfigObject(server, { token: server.token })));
    await expect(listObjects(client, CONFIGMAPS)).resolves.toMatchObject({ items: [] });
  });

  it('run exec credential plugins through client-node', async () => {
    const { server, dir } = await started();
    const plugin = join(dir, 'plugin.mjs');
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: server.token },
    };
    await writeFile(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`);
    await chmod(plugin, 0o755);
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin] };
    const client = closing(await createApiClient({ kubeconfig: kubeconfigObject(server, { exec }) }));
    await expect(listObjects(client, CONFIGMAPS)).resolves.toMatchObject({ items: [] });
  });

  it('select a context by name, and name the known ones when it is missing', async () => {
    const { server } = await started();
    const config = kubeconfigObject(
      server,
      { token: server.token },
      {
        contexts: [
          { name: 'fake', context: { cluster: 'fake', user: 'me', namespace: 'team-a' } },
          { name: 'other', context: { cluster: 'fake', user: 'me', namespace: 'team-b' } },
        ],
      },
    );
    const client = closing(await createApiClient({ kubeconfig: config, context: 'other' }));
    expect(client.defaultNamespace).toBe('team-b');
    const error = await createApiClient({ kubeconfig: config, context: 'nope' }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiConfigError);
    expect(error.message).toBe(
      'Loading the kubeconfig failed: the given kubeconfig object has no context "nope". Use one of: fake, other.',
    );
  });
});
