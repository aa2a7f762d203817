import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdmissionRequestHandler, WebhookClientConfig } from '@kopf/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdmissionRequestContext } from './admitting.js';
import { selfSignedCertificates } from './certificates.js';
import { AdmissionRequestError } from './reviews.js';
import { accessibleAddress, WebhookServer, WebhookServerError } from './webhook-server.js';

let directory: string;
const running: AbortController[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kopf-webhook-server-'));
});

afterEach(async () => {
  for (const controller of running.splice(0)) controller.abort();
  await rm(directory, { recursive: true, force: true });
});

/** What the test handler saw. */
const seen: { review: unknown; context: AdmissionRequestContext }[] = [];
const echo: AdmissionRequestHandler = async (review, context) => {
  seen.push({ review, context: context as AdmissionRequestContext });
  return { echoed: review };
};

/** Starts serving; returns the iterator and its first client config. */
async function start(server: WebhookServer, handle: AdmissionRequestHandler = echo) {
  const controller = new AbortController();
  running.push(controller);
  const configs = server.serve(handle, { signal: controller.signal })[Symbol.asyncIterator]();
  const first = await configs.next();
  if (first.done) throw new Error('The server yielded nothing.');
  return { controller, configs, config: first.value };
}

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

function call(config: WebhookClientConfig, path = '', body = '{"a":1}'): Promise<Reply> {
  const url = new URL(`${config.url}${path}`);
  const ca = config.caBundle ? Buffer.from(config.caBundle, 'base64').toString('utf8') : undefined;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        ...(ca ? { ca } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('WebhookServer with a generated certificate', () => {
  it('serves HTTPS that its caBundle verifies, at localhost on a free port', async () => {
    seen.length = 0;
    const { config } = await start(new WebhookServer({ path: 'admission/' }));
    expect(config.url).toMatch(/^https:\/\/localhost:\d+\/admission$/);
    const reply = await call(config, '/some%20handler?timeout=1m30s');
    expect(reply).toEqual({ status: 200, body: { echoed: { a: 1 } } });
    expect(seen[0]?.context).toMatchObject({
      webhook: 'some handler',
      timeout: 90,
      headers: { 'content-length': '7' },
    });
  });

  it('stops serving when the signal aborts', async () => {
    const { controller, configs, config } = await start(new WebhookServer({ addr: '127.0.0.1' }));
    const ending = configs.next();
    controller.abort();
    expect(await ending).toEqual({ done: true, value: undefined });
    await expect(call(config)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('keeps its CA and certificate in certDir across restarts', async () => {
    const certDir = join(directory, 'certs');
    const first = await start(new WebhookServer({ addr: '127.0.0.1', certDir }));
    first.controller.abort();
    const second = await start(new WebhookServer({ addr: '127.0.0.1', certDir }));
    expect(second.config.caBundle).toBe(first.config.caBundle);
    expect((await call(second.config)).status).toBe(200);
  });

  it('answers errors of the handler with their status, and others with 500', async () => {
    let failure: Error = new AdmissionRequestError('nothing serves that', { status: 404 });
    const { config } = await start(new WebhookServer({ addr: '127.0.0.1' }), async () => {
      throw failure;
    });
    expect(await call(config, '/x')).toEqual({
      status: 404,
      body: {
        apiVersion: 'v1',
        kind: 'Status',
        status: 'Failure',
        message: 'nothing serves that',
        code: 404,
      },
    });
    failure = new RangeError('a bug');
    expect(await call(config, '/x')).toMatchObject({
      status: 500,
      body: { message: 'Serving the admission request failed: RangeError: a bug' },
    });
  });
});

describe('WebhookServer with a provided certificate', () => {
  it('serves the files, announces their CA, and re-reads them when they change', async () => {
    const files = {
      certFile: join(directory, 'tls.crt'),
      keyFile: join(directory, 'tls.key'),
      caFile: join(directory, 'ca.crt'),
    };
    await selfSignedCertificates({ hostnames: ['localhost', '127.0.0.1'], directory, now: Date.now() });
    const server = new WebhookServer({ addr: '127.0.0.1', certificate: files, fileCheckInterval: 0.02 });
    const { configs, config } = await start(server);
    expect(Buffer.from(config.caBundle ?? '', 'base64').toString('utf8')).toContain('BEGIN CERTIFICATE');
    expect((await call(config)).status).toBe(200);
    const renewed = await selfSignedCertificates({ hostnames: ['localhost', '127.0.0.1'], now: Date.now() });
    await writeFile(files.keyFile, renewed.keyPem);
    await writeFile(files.certFile, renewed.certPem);
    await writeFile(files.caFile, renewed.caPem);
    const pem = (config: WebhookClientConfig): string =>
      Buffer.from(config.caBundle ?? '', 'base64').toString('utf8');
    let fresh = config;
    while (pem(fresh) !== renewed.caPem) {
      const next = await configs.next();
      expect(next.done).toBe(false);
      fresh = next.value as WebhookClientConfig;
    }
    expect(fresh.url).toBe(config.url);
    expect((await call(fresh)).status).toBe(200);
    await expect(call(config)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('takes PEM text, with the certificate itself as the CA bundle when no CA is given', async () => {
    const pki = await selfSignedCertificates({ hostnames: ['localhost', '127.0.0.1'], now: Date.now() });
    const { config } = await start(
      new WebhookServer({ addr: '127.0.0.1', certificate: { cert: pki.certPem, key: pki.keyPem } }),
    );
    expect(Buffer.from(config.caBundle ?? '', 'base64').toString('utf8')).toBe(pki.certPem);
  });

  it('fails to start when the key does not belong to the certificate', async () => {
    const one = await selfSignedCertificates({ hostnames: ['localhost'], now: Date.now() });
    const other = await selfSignedCertificates({ hostnames: ['localhost'], now: Date.now() });
    const server = new WebhookServer({ certificate: { cert: one.certPem, key: other.keyPem } });
    await expect(start(server)).rejects.toThrow(
      /^Loading the webhook server's certificate failed: .*Check that the key belongs to the certificate/,
    );
  });

  it('fails to start with the paths named when the files are missing', async () => {
    const server = new WebhookServer({
      certificate: { certFile: join(directory, 'nope.crt'), keyFile: join(directory, 'nope.key') },
    });
    await expect(start(server)).rejects.toThrow(
      /^Reading the webhook server's certificate failed: .*nope\.crt.*Check the certFile/,
    );
  });
});

describe('WebhookServer options', () => {
  it('serves plain HTTP when insecure (for tunnels), with no CA bundle', async () => {
    const { config } = await start(new WebhookServer({ addr: '127.0.0.1', insecure: true }));
    expect(config).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect((await call(config)).status).toBe(200);
  });

  it('refuses insecure together with a certificate', () => {
    expect(() => new WebhookServer({ insecure: true, certificate: { cert: 'c', key: 'k' } })).toThrow(
      WebhookServerError,
    );
  });

  it('fails to start on a taken port, naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(start(new WebhookServer({ addr: '127.0.0.1', port }))).rejects.toThrow(
        new RegExp(`^Starting the webhook server on 127\\.0\\.0\\.1:${port} failed: .*Choose another port`),
      );
    } finally {
      blocker.close();
    }
  });

  it('tells where clients reach a listening address', () => {
    expect(accessibleAddress(undefined)).toBe('localhost');
    expect(accessibleAddress('0.0.0.0')).toBe('127.0.0.1');
    expect(accessibleAddress('::')).toBe('::1');
    expect(accessibleAddress('[::1]')).toBe('::1');
    expect(accessibleAddress('10.1.2.3')).toBe('10.1.2.3');
  });
});
