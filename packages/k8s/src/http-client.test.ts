import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestInfo } from './client.js';
import { createApiClient } from './client.js';
import type { ConnectionInfo } from './credentials.js';
import { ApiConnectionError, ApiLoginError, ApiNotFoundError, ApiUnauthorizedError } from './errors.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A scripted HTTP server: each request goes to the next handler (the last one repeats). */
async function scripted(
  ...handlers: Handler[]
): Promise<{ url: string; seen: IncomingMessage[]; arrivals: number[] }> {
  const seen: IncomingMessage[] = [];
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push(req);
      arrivals.push(performance.now());
      const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)]!;
      handler(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, arrivals };
}

const json =
  (code: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const status = (code: number, reason: string, message: string) =>
  json(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

const SECRET = 'sekret-token-123';

/** The error a promise rejects with (fails the test if it resolves). */
const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

describe('HttpApiClient', () => {
  it('sends JSON with the token and parses the answer', async () => {
    const { url, seen } = await scripted(json(200, { kind: 'ConfigMap', data: { a: '1' } }));
    const client = await createApiClient({ connection: { server: url, token: SECRET } });
    const result = await client.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/ns/configmaps/x',
      query: { dryRun: 'All', skipped: undefined },
      body: { data: { a: '1' } },
      contentType: 'application/merge-patch+json',
    });
    expect(result).toEqual({ kind: 'ConfigMap', data: { a: '1' } });
    expect(seen[0]!.url).toBe('/api/v1/namespaces/ns/configmaps/x?dryRun=All');
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(seen[0]!.headers['content-type']).toBe('application/merge-patch+json');
    expect(client.server).toBe(url);
  });

  it('retries 5xx and 429 with the backoffs, honouring Retry-After as a floor', async () => {
    const { url, seen } = await scripted(
      status(503, 'ServiceUnavailable', 'busy'),
      status(429, 'TooManyRequests', 'slow down'),
      json(200, { ok: true }),
    );
    const attempts: RequestInfo[] = [];
    const client = await createApiClient({
      connection: { server: url, token: SECRET },
      errorBackoffs: [0.01, 0.01],
      onRequest: (info) => attempts.push(info),
    });
    const started = Date.now();
    // The 429 carries no Retry-After here; see the next test for the floor.
    await expect(client.request({ method: 'GET', path: '/api' })).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(3);
    expect(attempts.map((a) => [a.attempt, a.status, a.retryIn])).toEqual([
      [1, 503, 0.01],
      [2, 429, 0.01],
      [3, 200, undefined],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('waits at least Retry-After before retrying a 429', async () => {
    const { url, arrivals } = await scripted(
      json(429, { kind: 'Status', code: 429, reason: 'TooManyRequests' }, { 'Retry-After': '1' }),
      json(200, { ok: true }),
    );
    const client = await createApiClient({
      connection: { server: url, token: SECRET },
      errorBackoffs: [0.01],
    });
    await client.request({ method: 'GET', path: '/api' });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(990);
  });

  it('fails at once on 4xx other than 409/429, with the Status message and reason', async () => {
    const { url, seen } = await scripted(status(404, 'NotFound', 'configmaps "x" not found'));
    const client = await createApiClient({
      connection: { server: url, token: SECRET },
      errorBackoffs: [0.01],
    });
    const error = await rejection(
      client.request({ method: 'GET', path: '/api/v1/namespaces/ns/configmaps/x' }),
    );
    expect(error).toBeInstanceOf(ApiNotFoundError);
    expect(error.message).toBe('GET /api/v1/namespaces/ns/configmaps/x failed: configmaps "x" not found');
    expect(seen).toHaveLength(1);
  });

  it('re-runs the login function on 401 and retries once with the new credentials', async () => {
    const { url, seen } = await scripted((req, res, body) => {
      const ok = req.headers.authorization === 'Bearer fresh';
      (ok ? json(200, { ok: true }) : status(401, 'Unauthorized', 'Unauthorized'))(req, res, body);
    });
    const logins: string[] = [];
    const tokens = ['stale', 'fresh'];
    const client = await createApiClient({
      connection: async (): Promise<ConnectionInfo> => {
        const token = tokens[logins.length] ?? 'none';
        logins.push(token);
        return { server: url, token };
      },
    });
    await expect(client.request({ method: 'GET', path: '/api' })).resolves.toEqual({ ok: true });
    expect(logins).toEqual(['stale', 'fresh']);
    expect(seen.map((req) => req.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('gives up after one re-login, without the secret in the error', async () => {
    const { url } = await scripted(status(401, 'Unauthorized', 'Unauthorized'));
    const client = await createApiClient({ connection: async () => ({ server: url, token: SECRET }) });
    const error = await rejection(client.request({ method: 'GET', path: '/api' }));
    // The same token again is a previously rejected credential: the vault refuses it.
    expect(error).toBeInstanceOf(ApiLoginError);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it('throws ApiUnauthorizedError when even fresh credentials are rejected', async () => {
    const { url } = await scripted(status(401, 'Unauthorized', 'Unauthorized'));
    let n = 0;
    const client = await createApiClient({
      connection: async () => ({ server: url, token: `${SECRET}-${n++}` }),
    });
    const error = await rejection(client.request({ method: 'GET', path: '/api' }));
    expect(error).toBeInstanceOf(ApiUnauthorizedError);
    expect(error.message).toMatch(/^GET \/api failed: Unauthorized\. The credentials were rejected/);
    expect(`${error.message} ${error.stack}`).not.toContain(SECRET);
  });

  it('reports an unreachable server in one line naming the URL, after the retries', async () => {
    const { url } = await scripted(json(200, {}));
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const attempts: RequestInfo[] = [];
    const client = await createApiClient({
      connection: { server: url, token: SECRET },
      errorBackoffs: [0.01, 0.01],
      onRequest: (info) => attempts.push(info),
    });
    const error = await rejection(client.request({ method: 'GET', path: '/api' }));
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(error.message).toContain(`Cannot reach the Kubernetes API at ${url} (GET /api)`);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain(SECRET);
    expect(attempts).toHaveLength(3);
  });

  it('times out a request that gets no answer, and retries it', async () => {
    const { url, seen } = await scripted(
      () => {}, // never answers
      json(200, { ok: true }),
    );
    const client = await createApiClient({
      connection: { server: url, token: SECRET },
      errorBackoffs: [0.01],
    });
    await expect(client.request({ method: 'GET', path: '/api', timeout: 100 })).resolves.toEqual({
      ok: true,
    });
    expect(seen).toHaveLength(2);
  });

  it('rejects with the signal reason when aborted, without retrying', async () => {
    const { url, seen } = await scripted(() => {});
    const client = await createApiClient({
      connection: { server: url, token: SECRET },
      errorBackoffs: [0.01],
    });
    const controller = new AbortController();
    const pending = client.request({ method: 'GET', path: '/api', signal: controller.signal });
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('stopped by test'));
    await expect(pending).rejects.toThrow('stopped by test');
    expect(seen).toHaveLength(1);
  });

  it('streams NDJSON values until the server closes', async () => {
    const { url } = await scripted((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"a":1}}\n{"type":"MOD');
      setTimeout(() => res.end('IFIED","object":{"a":2}}\n'), 20);
    });
    const client = await createApiClient({ connection: { server: url, token: SECRET } });
    const values: unknown[] = [];
    for await (const value of await client.stream({
      method: 'GET',
      path: '/api/v1/pods',
      query: { watch: true },
    })) {
      values.push(value);
    }
    expect(values).toEqual([
      { type: 'ADDED', object: { a: 1 } },
      { type: 'MODIFIED', object: { a: 2 } },
    ]);
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const { url, seen } = await scripted(json(200, { ok: true }));
    const client = await createApiClient({ connection: { server: url, token: SECRET } });
    for (let i = 0; i < 5; i++) await client.request({ method: 'GET', path: '/api' });
    const sockets = new Set(seen.map((req) => req.socket));
    expect(sockets.size).toBe(1);
    client.close();
  });
});
