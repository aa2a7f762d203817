/**
 * Calling one admission webhook as kube-apiserver does: `POST` of an AdmissionReview
 * to its URL with `?timeout=<N>s`, over HTTPS that trusts only the webhook's
 * `caBundle` (or the system roots when none is given) and checks the server name
 * (`<service>.<namespace>.svc` for a service reference), aborted after
 * `timeoutSeconds`. Failures carry the wording of Go's HTTP client, since that is
 * what kube-apiserver's error messages quote; an answer that is not a 2xx
 * AdmissionReview with the request's uid is a failed call too.
 */
import { request } from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { isJsonObject, type JsonObject } from './objects.js';
import type { Webhook } from './webhook-configurations.js';

/** Where and how to call. */
export interface WebhookTarget {
  readonly url: URL;
  /** PEM of the CAs to trust; the system roots when absent. */
  readonly ca?: string;
  /** The name the certificate must carry (default: the URL's host). */
  readonly serverName?: string;
  readonly timeoutSeconds: number;
}

/** A call that did not produce an HTTP answer (the webhook failed to be called). */
export class WebhookCallError extends Error {
  override name = 'WebhookCallError';
}

function goErrorText(error: NodeJS.ErrnoException, url: URL): string {
  const address = `${url.hostname}:${url.port || 443}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${address}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'ECONNRESET':
      return `read tcp ${address}: read: connection reset by peer`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: ${error.message}`;
    default:
      return error.message;
  }
}

/** Posts `body` (an AdmissionReview) and resolves with the HTTP status and the answer's text. */
export function postReview(target: WebhookTarget, body: string): Promise<{ status: number; text: string }> {
  const url = new URL(target.url);
  url.searchParams.set('timeout', `${target.timeoutSeconds}s`);
  const serverName = target.serverName;
  return new Promise((resolve, reject) => {
    const failed = (reason: string): void =>
      reject(new WebhookCallError(`Post ${JSON.stringify(url.toString())}: ${reason}`));
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, */*',
          'Content-Length': Buffer.byteLength(body),
        },
        ...(target.ca ? { ca: target.ca } : {}),
        ...(serverName
          ? {
              servername: serverName,
              checkServerIdentity: (_host: string, certificate: PeerCertificate) =>
                checkServerIdentity(serverName, certificate),
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (error) => failed(goErrorText(error, url)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      failed('context deadline exceeded');
    }, target.timeoutSeconds * 1000);
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      failed(goErrorText(error, url));
    });
    req.end(body);
  });
}

/** A webhook's `clientConfig.service`, as a `serviceResolver` receives it. */
export interface ServiceReference {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  readonly path?: string;
}

/** Turns a service reference into the URL to call (there is no cluster network to resolve it). */
export type ServiceResolver = (service: ServiceReference) => string | URL;

/** The webhook could not be called or answered nonsense: `failurePolicy` decides. */
export class CallingWebhookError extends Error {
  override name = 'CallingWebhookError';

  constructor(webhook: string, reason: string) {
    super(`failed calling webhook ${JSON.stringify(webhook)}: ${reason}`);
  }
}

/** The default resolution: the in-cluster DNS name kube-apiserver dials. */
function defaultResolver(service: ServiceReference): string {
  return `https://${service.name}.${service.namespace}.svc:${service.port}${service.path ?? ''}`;
}

function targetOf(
  webhook: Webhook,
  resolver: ServiceResolver | undefined,
): { url: URL; ca?: string; serverName?: string } {
  const config = webhook.clientConfig;
  const ca = config.caBundle ? Buffer.from(config.caBundle, 'base64').toString('utf8') : undefined;
  if ('url' in config) return { url: new URL(config.url), ...(ca ? { ca } : {}) };
  const resolve = resolver ?? defaultResolver;
  const { service } = config;
  return {
    url: new URL(String(resolve(service))),
    ...(ca ? { ca } : {}),
    serverName: `${service.name}.${service.namespace}.svc`,
  };
}

/** Calls a webhook and returns its `response`, or throws CallingWebhookError. */
export async function callWebhook(
  webhook: Webhook,
  review: JsonObject,
  uid: string,
  resolver: ServiceResolver | undefined,
): Promise<JsonObject> {
  let answer: { status: number; text: string };
  try {
    const target = targetOf(webhook, resolver);
    answer = await postReview({ ...target, timeoutSeconds: webhook.timeoutSeconds }, JSON.stringify(review));
  } catch (error) {
    if (error instanceof WebhookCallError || error instanceof TypeError)
      throw new CallingWebhookError(webhook.name, `failed to call webhook: ${error.message}`);
    throw error;
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new CallingWebhookError(
      webhook.name,
      `failed to call webhook: the server responded with the status code ${answer.status} but did not return more information`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch (error) {
    throw new CallingWebhookError(
      webhook.name,
      `received invalid webhook response: ${(error as Error).message}`,
    );
  }
  const response = isJsonObject(body) ? body.response : undefined;
  if (!isJsonObject(response))
    throw new CallingWebhookError(webhook.name, 'received invalid webhook response: the response is missing');
  if (response.uid !== uid) {
    throw new CallingWebhookError(
      webhook.name,
      `received invalid webhook response: expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(String(response.uid ?? ''))}`,
    );
  }
  return response;
}
