/**
 * An admission webhook written in a test: a plain Node HTTPS server with its own CA
 * (made by `generateServerPki`) that answers AdmissionReviews with a handler and
 * keeps every review and request URL it got, so tests can see what the API server sent.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateServerPki } from '@kopf/testing';

/** A JSON object as tests read it. */
export type Json = Record<string, unknown>;

/** A raw HTTP answer instead of an AdmissionReview. */
export interface RawAnswer {
  readonly raw: { readonly status: number; readonly body: string };
}

/** What a handler returns: the review's `response` without `uid` (added), a raw HTTP answer, or no answer. */
export type WebhookAnswer = Json | RawAnswer | 'hang';

function isRaw(answer: Json | RawAnswer): answer is RawAnswer {
  return typeof answer.raw === 'object' && answer.raw !== null;
}

/** A running test webhook. */
export interface TestWebhook {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The CA's PEM, base64 as `caBundle` wants it. */
  readonly caBundle: string;
  /** Every AdmissionReview `request` received, with the URL it came to. */
  readonly received: { readonly path: string; readonly request: Json }[];
  stop(): Promise<void>;
}

/** Allows everything. */
export const allow = (): WebhookAnswer => ({ allowed: true });

/** A JSON patch as a response (`patchType: JSONPatch`, base64). */
export function patchResponse(operations: readonly Json[], extra: Json = {}): Json {
  return {
    allowed: true,
    patchType: 'JSONPatch',
    patch: Buffer.from(JSON.stringify(operations)).toString('base64'),
    ...extra,
  };
}

/** Starts a webhook on 127.0.0.1 whose certificate is valid for `hosts` (and 127.0.0.1, localhost). */
export async function startWebhook(
  handler: (request: Json, path: string) => WebhookAnswer,
  hosts: readonly string[] = [],
): Promise<TestWebhook> {
  const pki = await generateServerPki(hosts);
  const received: { path: string; request: Json }[] = [];
  const server: Server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: Json };
      received.push({ path: req.url ?? '', request: review.request });
      const answer = handler(review.request, req.url ?? '');
      if (answer === 'hang') return;
      if (isRaw(answer)) {
        res.writeHead(answer.raw.status, { 'Content-Type': 'application/json' });
        res.end(answer.raw.body);
        return;
      }
      const body = JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: review.request.uid, ...answer },
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    caBundle: Buffer.from(pki.ca.certPem).toString('base64'),
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
