/**
 * The webhook server as any HTTPS client meets it (not only a well-behaved API server):
 * malformed AdmissionReviews are answered 400 with a message, unknown resources 404,
 * other methods 405, oversized bodies 413 — and the server goes on serving. Valid
 * reviews reach the handler the URL names (or all at the root), with the request's
 * headers, the verified client certificate, and the deadline from `?timeout=`.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { on, Registry, type WebhookKwargs } from '@kopf/core';
import { createApiClient } from '@kopf/k8s';
import { selfSignedCertificates, WebhookServer } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRD, type RunningAdmission, startAdmission } from './support.js';

const registry = new Registry();
const calls: { id: string; kwargs: WebhookKwargs }[] = [];
on.validate('kopfexamples', { registry, id: 'first' }, (kwargs) => {
  calls.push({ id: 'first', kwargs });
});
on.validate('kopfexamples', { registry, id: 'second' }, async (kwargs) => {
  calls.push({ id: 'second', kwargs });
  if (kwargs.spec.field === 'slow') await new Promise(() => {});
});

let api: FakeApiServer;
let admission: RunningAdmission;
let directory: string;
let ca: string;
let client: { key: string; cert: string };

/** A client certificate signed by the CA kept in `directory` (as the webhook server's clientCa). */
async function clientCertificate(): Promise<{ key: string; cert: string; ca: string }> {
  const pki = await selfSignedCertificates({ hostnames: ['localhost'], directory, now: Date.now() });
  const caKey = forge.pki.privateKeyFromPem(await readFile(join(directory, 'ca.key'), 'utf8'));
  const caCert = forge.pki.certificateFromPem(pki.caPem);
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a';
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 3_600_000);
  cert.setSubject([{ name: 'commonName', value: 'kube-apiserver-client' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([{ name: 'extKeyUsage', clientAuth: true }]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    key: forge.pki.privateKeyToPem(keys.privateKey),
    cert: forge.pki.certificateToPem(cert),
    ca: pki.caPem,
  };
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kopf-admission-requests-'));
  const issued = await clientCertificate();
  client = { key: issued.key, cert: issued.cert };
  api = await FakeApiServer.start();
  const setup = await createApiClient({
    connection: { server: api.url, caData: api.caData, token: api.token },
  });
  await new Cluster(setup).apply(CRD);
  setup.close();
  const server = new WebhookServer({
    addr: '127.0.0.1',
    path: '/admission',
    maxBodySize: 64 * 1024,
    clientCa: issued.ca,
  });
  admission = await startAdmission(api, registry, server, { managed: '' });
  ca = Buffer.from(admission.config.caBundle ?? '', 'base64').toString('utf8');
}, 60_000);

afterAll(async () => {
  await admission?.stop();
  await api?.stop();
  await rm(directory, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

function post(
  path: string,
  body: string,
  options: { method?: string; certificate?: boolean } = {},
): Promise<Answer> {
  const base = new URL(admission.config.url ?? '');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: options.method ?? 'POST',
        ca,
        ...(options.certificate ? client : {}),
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

function review(
  overrides: Record<string, unknown> = {},
  spec: Record<string, unknown> = { field: 'x' },
): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-1',
      kind: { group: 'kopf.dev', version: 'v1', kind: 'KopfExample' },
      resource: { group: 'kopf.dev', version: 'v1', resource: 'kopfexamples' },
      operation: 'CREATE',
      userInfo: { username: 'someone' },
      object: {
        apiVersion: 'kopf.dev/v1',
        kind: 'KopfExample',
        metadata: { name: 'x', namespace: 'default' },
        spec,
      },
      oldObject: null,
      dryRun: false,
      ...overrides,
    },
  };
}

describe('the webhook server', () => {
  it.each([
    ['not JSON', '{"apiVersion":', /The AdmissionReview is not JSON/],
    [
      'no request',
      JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }),
      /request is missing/,
    ],
    ['a wrong kind', JSON.stringify({ ...review(), kind: 'Pod' }), /kind "Pod" is not AdmissionReview/],
    ['no uid', JSON.stringify(review({ uid: undefined })), /request\.uid is missing/],
    [
      'an unknown operation',
      JSON.stringify(review({ operation: 'PATCH' })),
      /request\.operation "PATCH" is not one of/,
    ],
    ['no user info', JSON.stringify(review({ userInfo: undefined })), /request\.userInfo is missing/],
    [
      'no objects',
      JSON.stringify(review({ object: null })),
      /both request\.object and request\.oldObject are missing/,
    ],
    [
      'a bad resource',
      JSON.stringify(review({ resource: { group: 'kopf.dev' } })),
      /request\.resource needs/,
    ],
    ['a JSON array', '[1, 2]', /the body is not a JSON object/],
  ])('answers 400 to %s', async (_, body, message) => {
    const answer = await post('/admission/first', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ kind: 'Status', code: 400, message: expect.stringMatching(message) });
  });

  it('answers 404 for resources no handler serves, 405 for other methods, 413 for huge bodies', async () => {
    const pods = review({ resource: { group: '', version: 'v1', resource: 'pods' } });
    expect((await post('/admission/first', JSON.stringify(pods))).body.message).toMatch(
      /no admission handler serves pods\.v1/,
    );
    expect((await post('/admission/first', JSON.stringify(pods))).status).toBe(404);
    expect((await post('/elsewhere', JSON.stringify(review()))).status).toBe(404);
    expect((await post('/admission/first', '', { method: 'GET' })).status).toBe(405);
    const huge = review({}, { field: 'x'.repeat(100 * 1024) });
    expect((await post('/admission/first', JSON.stringify(huge))).status).toBe(413);
  });

  it('goes on serving after bad requests: the handler the URL names runs, with headers', async () => {
    calls.length = 0;
    const answer = await post('/admission/first', JSON.stringify(review()));
    expect(answer).toEqual({
      status: 200,
      body: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: 'uid-1', allowed: true },
      },
    });
    expect(calls.map((call) => call.id)).toEqual(['first']);
    expect(calls[0]?.kwargs.headers['content-length']).toBeDefined();
    expect(calls[0]?.kwargs.userinfo).toEqual({ username: 'someone' });
    expect(calls[0]?.kwargs.sslpeer).toBeUndefined();
  });

  it('runs all handlers at the root path, and echoes a v1beta1 review', async () => {
    calls.length = 0;
    const answer = await post(
      '/admission',
      JSON.stringify({ ...review(), apiVersion: 'admission.k8s.io/v1beta1' }),
    );
    expect(answer.body).toMatchObject({
      apiVersion: 'admission.k8s.io/v1beta1',
      response: { allowed: true },
    });
    expect(calls.map((call) => call.id)).toEqual(['first', 'second']);
  });

  it('gives handlers the verified client certificate as sslpeer', async () => {
    calls.length = 0;
    await post('/admission/first', JSON.stringify(review()), { certificate: true });
    expect(calls[0]?.kwargs.sslpeer).toMatchObject({ subject: { CN: 'kube-apiserver-client' } });
  });

  it('answers within the deadline the URL gives (?timeout=)', async () => {
    const answer = await post('/admission/second?timeout=1s', JSON.stringify(review({}, { field: 'slow' })));
    expect(answer.body).toMatchObject({
      response: {
        allowed: false,
        status: {
          code: 504,
          reason: 'Timeout',
          message: expect.stringMatching(/^Webhook 'second' did not finish within 0\.9 seconds/),
        },
      },
    });
  });
});
