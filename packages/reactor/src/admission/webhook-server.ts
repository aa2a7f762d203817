/**
 * The local webhook server (Kopf's `WebhookServer` and its presets): an HTTPS server
 * on this machine that the API server calls at `https://<host>:<port><path>/<handler
 * id>`. Its certificate is generated (a CA and a server certificate, kept in `certDir`
 * and reused across restarts when given) or provided by the user (files, re-read when
 * they change, or PEM text). It yields the client config — URL and `caBundle` — that
 * the webhook configurations need, and again whenever the certificate is renewed.
 *
 * For local clusters in containers or VMs, `host` is the name under which they reach
 * this machine (see `cluster-servers.ts` for the presets).
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, isIPv6 } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  type AdmissionRequestHandler,
  type AdmissionServer,
  KopfError,
  type WebhookClientConfig,
} from '@kopf/core';
import { type Clock, systemClock } from '../clock.js';
import type { AdmissionRequestContext } from './admitting.js';
import { selfSignedCertificates } from './certificates.js';
import {
  type ProvidedCertificate,
  readProvidedCertificate,
  type ServingMaterial,
} from './provided-certificates.js';
import { errorAnswer, type ReviewAnswer, readReviewRequest } from './webhook-requests.js';

/** Options of {@link WebhookServer}; all optional. */
export interface WebhookServerOptions {
  /** The interface to listen on; default all interfaces. */
  readonly addr?: string;
  /** The port; default 0: a free one, picked at start. */
  readonly port?: number;
  /** The root path of the webhook URLs, e.g. `/admission`; default none. */
  readonly path?: string;
  /** The host name the API server dials; default `localhost` (or `addr` when it is specific). */
  readonly host?: string;
  /** More host names or IPs for the generated certificate. */
  readonly extraSans?: readonly string[];
  /** Keep the generated CA and certificate in this directory and reuse them across restarts. */
  readonly certDir?: string;
  /** Serve with this certificate instead of a generated one. */
  readonly certificate?: ProvidedCertificate;
  /** Verify client certificates against this CA (PEM); verified peers reach handlers as `sslpeer`. */
  readonly clientCa?: string;
  /** Plain HTTP, for a tunnel that terminates TLS itself (the API server only calls HTTPS). */
  readonly insecure?: boolean;
  /** Seconds between checks of certificate files for renewal; default 60. */
  readonly fileCheckInterval?: number;
  /** The largest AdmissionReview accepted, in bytes; default 3 MiB (larger ones get 413). */
  readonly maxBodySize?: number;
  readonly clock?: Clock;
}

/** The server could not start (a bad option, a taken port, unreadable certificate files). */
export class WebhookServerError extends KopfError {
  override name = 'WebhookServerError';
}

/**
 * A local HTTPS webhook server; give it as `settings.admission.server`.
 *
 * @example
 * settings.admission.server = new WebhookServer({ port: 9443, certDir: '.kopf/webhooks' });
 * settings.admission.managed = 'auto.kopf.dev';
 */
export class WebhookServer implements AdmissionServer {
  readonly options: WebhookServerOptions;
  readonly #clock: Clock;

  constructor(options: WebhookServerOptions = {}) {
    if (options.insecure && options.certificate)
      throw new WebhookServerError(
        'Creating the webhook server failed: insecure (plain HTTP) and a certificate exclude each other; drop one.',
      );
    this.options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** The host name in the URLs the API server calls. */
  get host(): string {
    return this.options.host ?? accessibleAddress(this.options.addr);
  }

  /** Serves `handle` until `signal` aborts; yields the client config now and after each renewal. */
  async *serve(
    handle: AdmissionRequestHandler,
    options: { readonly signal: AbortSignal },
  ): AsyncGenerator<WebhookClientConfig, void, undefined> {
    const { signal } = options;
    let material = await this.#material();
    const listener = (request: IncomingMessage, response: ServerResponse): void =>
      void this.#answer(handle, request, response);
    const secure = material.tls ? createHttpsServer(material.tls, listener) : undefined;
    const server: Server = secure ?? createHttpServer(listener);
    try {
      const port = await listen(server, this.options.port ?? 0, this.options.addr);
      yield this.#clientConfig(port, material);
      for (;;) {
        const renewed = await this.#renewal(material, signal);
        if (!renewed) return;
        if (renewed.tls) secure?.setSecureContext(renewed.tls);
        material = renewed;
        yield this.#clientConfig(port, material);
      }
    } finally {
      await close(server);
    }
  }

  #clientConfig(port: number, material: ServingMaterial): WebhookClientConfig {
    const scheme = material.tls ? 'https' : 'http';
    const host = isIPv6(this.host) ? `[${this.host}]` : this.host;
    const standard = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80);
    const url = `${scheme}://${host}${standard ? '' : `:${port}`}${rootPath(this.options.path)}`;
    return {
      url,
      ...(material.caPem ? { caBundle: Buffer.from(material.caPem, 'utf8').toString('base64') } : {}),
    };
  }

  async #material(): Promise<ServingMaterial> {
    const { certificate, insecure, clientCa } = this.options;
    if (insecure) return { tls: undefined, caPem: undefined, digest: undefined };
    const clients = clientCa ? { ca: clientCa, requestCert: true, rejectUnauthorized: false } : {};
    if (certificate) {
      const provided = await readProvidedCertificate(certificate);
      return { ...provided, tls: { ...provided.tls, ...clients } };
    }
    const generated = await selfSignedCertificates({
      hostnames: [
        this.host,
        accessibleAddress(this.options.addr),
        ...(this.options.extraSans ?? []),
        'localhost',
        '127.0.0.1',
        '::1',
      ],
      ...(this.options.certDir !== undefined ? { directory: this.options.certDir } : {}),
      now: this.#clock.now(),
    });
    return {
      tls: { cert: generated.certPem, key: generated.keyPem, ...clients },
      caPem: generated.caPem,
      digest: undefined,
    };
  }

  /** Waits until the certificate files change (new material) or `signal` aborts (`undefined`). */
  async #renewal(current: ServingMaterial, signal: AbortSignal): Promise<ServingMaterial | undefined> {
    const interval = (this.options.fileCheckInterval ?? 60) * 1000;
    while (!signal.aborted) {
      if (current.digest === undefined) {
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        return undefined;
      }
      if (!(await this.#clock.sleep(interval, signal))) return undefined;
      try {
        const next = await this.#material();
        if (next.digest !== current.digest) return next;
      } catch {
        // A renewal in progress (a new key with the old certificate): look again next time.
      }
    }
    return undefined;
  }

  async #answer(
    handle: AdmissionRequestHandler,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    let answer: ReviewAnswer;
    try {
      const read = await readReviewRequest(request, {
        root: rootPath(this.options.path),
        maxBodySize: this.options.maxBodySize ?? 3 * 1024 * 1024,
      });
      if ('status' in read) answer = read;
      else {
        const context: AdmissionRequestContext = { ...read.context, ...peerOf(request) };
        answer = { status: 200, body: await handle(read.review, context) };
      }
    } catch (error) {
      answer = errorAnswer(error);
    }
    if (response.destroyed) return;
    response.writeHead(answer.status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  }
}

/** The verified client certificate, as the `sslpeer` kwarg. */
function peerOf(request: IncomingMessage): { sslpeer?: Readonly<Record<string, unknown>> } {
  const socket = request.socket as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return {};
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return {};
  const { subject, issuer, subjectaltname, valid_from, valid_to, serialNumber, fingerprint256 } = peer;
  return {
    sslpeer: { subject, issuer, subjectaltname, valid_from, valid_to, serialNumber, fingerprint256 },
  };
}

/** `/path` without a trailing slash, or `''`. */
function rootPath(path: string | undefined): string {
  const trimmed = (path ?? '').replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Where clients reach a listening address: `localhost` for all interfaces, loopback for "any". */
export function accessibleAddress(addr: string | undefined): string {
  if (addr === undefined || addr === '') return 'localhost';
  if (addr === '0.0.0.0') return '127.0.0.1';
  if (addr === '::' || addr === '[::]') return '::1';
  return addr.replace(/^\[|\]$/g, '');
}

function listen(server: Server, port: number, addr: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new WebhookServerError(
          `Starting the webhook server on ${addr ?? '*'}:${port} failed: ${error.message}. ` +
            'Choose another port (or 0 for a free one).',
          { cause: error },
        ),
      ),
    );
    const ready = (): void => resolve((server.address() as AddressInfo).port);
    if (addr === undefined || addr === '') server.listen(port, ready);
    else server.listen(port, addr.replace(/^\[|\]$/g, ''), ready);
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
