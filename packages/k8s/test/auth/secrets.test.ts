import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestInfo } from '@kopf/k8s';
import { createApiClient, getObject, listObjects } from '@kopf/k8s';
import { FakeApiServer } from '@kopf/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CONFIGMAPS } from '../support.js';

const SECRET = 'do-not-leak-3f9a7c';

/** Everything an error could show: message, stack, causes, and its JSON form. */
function everythingShown(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, current.stack ?? '', JSON.stringify(current));
    current = current.cause;
  }
  parts.push(String(current));
  return parts.join('\n');
}

describe('secrets', () => {
  it('never appear in errors or request observations', async () => {
    const server = await FakeApiServer.start({ authorize: (_user, request) => request.verb !== 'list' });
    const dir = await mkdtemp(join(tmpdir(), 'kopf-k8s-secrets-'));
    onTestFinished(async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    });
    const observed: RequestInfo[] = [];
    const errors: unknown[] = [];

    // A rejected token (401), a forbidden request (403), and an unreachable server.
    const bad = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: SECRET, password: SECRET },
      errorBackoffs: [0.01],
      onRequest: (info) => observed.push(info),
    });
    errors.push(await getObject(bad, CONFIGMAPS, { name: 'x', namespace: 'default' }).catch((e) => e));
    const forbidden = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
      onRequest: (info) => observed.push(info),
    });
    errors.push(await listObjects(forbidden, CONFIGMAPS).catch((e) => e));
    const userinfo = new URL(server.url);
    userinfo.username = 'admin';
    userinfo.password = SECRET;
    const gone = await createApiClient({
      connection: { server: userinfo.toString(), caData: server.caData, token: SECRET },
      errorBackoffs: [0.01],
      onRequest: (info) => observed.push(info),
    });
    expect(gone.server).not.toContain(SECRET);
    // A kubeconfig that does not parse, with a token inside.
    const broken = join(dir, 'kubeconfig');
    await writeFile(broken, `users:\n- name: u\n  user:\n    token: ${SECRET}\n   bad: [indent\n`);
    errors.push(await createApiClient({ kubeconfig: broken }).catch((e) => e));
    bad.close();
    forbidden.close();
    await server.stop();
    errors.push(await listObjects(gone, CONFIGMAPS).catch((e) => e));
    gone.close();

    expect(errors.map((error) => (error as Error).name)).toEqual([
      'ApiUnauthorizedError',
      'ApiForbiddenError',
      'ApiConfigError',
      'ApiConnectionError',
    ]);
    for (const error of errors) expect(everythingShown(error)).not.toContain(SECRET);
    expect(JSON.stringify(observed)).not.toContain(SECRET);
    expect(observed.length).toBeGreaterThanOrEqual(4);
  });

  it('stay out of the error when an exec plugin fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kopf-k8s-secrets-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const plugin = join(dir, 'plugin.mjs');
    await writeFile(
      plugin,
      `process.stderr.write('refresh token ${SECRET} was revoked'); process.exit(1);\n`,
    );
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin] };
    const kubeconfig = {
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [{ name: 'u', user: { exec } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    };
    const error = await createApiClient({ kubeconfig }).catch((e) => e);
    expect(error.name).toBe('ApiLoginError');
    expect(error.message).toMatch(/^Authenticating as the kubeconfig user "u" failed: /);
    expect(everythingShown(error)).not.toContain(SECRET);
  });
});
