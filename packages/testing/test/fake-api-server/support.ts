/**
 * Shared helpers of the fake API server's black-box suites: a client-node KubeConfig
 * for a running server, raw HTTPS requests that trust its CA, the KopfExample CRD,
 * and polling for conditions.
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { FakeApiServer } from '@kopf/testing';
import { eventually as waitFor } from '@kopf/testing';
import { KubeConfig } from '@kubernetes/client-node';

/** A JSON object as tests read it. */
export type Json = Record<string, unknown>;

/** Reads a nested value: `at(object, 'metadata', 'name')`. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Reads a nested string (empty when absent). */
export function text(value: unknown, ...path: (string | number)[]): string {
  const found = at(value, ...path);
  return found === undefined || found === null ? '' : String(found);
}

/** A client-node KubeConfig for the server (admin token, its CA). */
export function kubeConfigFor(server: FakeApiServer): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  return kc;
}

/** A raw HTTP answer. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: () => Json;
}

/** Options of a raw request. */
export interface RawOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer | object;
  /** Send no Authorization header. */
  readonly anonymous?: boolean;
  readonly token?: string;
}

/** One raw HTTPS request to the server, trusting its CA. */
export function raw(server: FakeApiServer, path: string, options: RawOptions = {}): Promise<RawResponse> {
  const url = new URL(path, server.url);
  const headers: Record<string, string> = { ...options.headers };
  if (!options.anonymous) headers.Authorization = `Bearer ${options.token ?? server.token}`;
  let body: string | Buffer | undefined;
  if (options.body !== undefined) {
    body =
      typeof options.body === 'string' || Buffer.isBuffer(options.body)
        ? options.body
        : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        ca: server.caData,
        agent: new Agent({ ca: server.caData, keepAlive: false }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The KopfExample CRD of the Kopf talk (namespaced, status subresource, printer columns). */
export function kopfExampleCrd(overrides: { scope?: 'Namespaced' | 'Cluster'; status?: boolean } = {}): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'kopfexamples.kopf.dev' },
    spec: {
      group: 'kopf.dev',
      scope: overrides.scope ?? 'Namespaced',
      names: {
        kind: 'KopfExample',
        plural: 'kopfexamples',
        singular: 'kopfexample',
        shortNames: ['kopfexes', 'kopfex', 'kexes', 'kex'],
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(overrides.status === false ? {} : { subresources: { status: {} } }),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
          additionalPrinterColumns: [
            { name: 'Duration', type: 'string', jsonPath: '.spec.duration' },
            { name: 'Message', type: 'string', jsonPath: '.status.create_fn.message' },
          ],
        },
      ],
    },
  };
}

/** A KopfExample object. */
export function kopfExample(name: string, extra: Json = {}): Json {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name, namespace: 'default', labels: { somelabel: 'somevalue' } },
    spec: { duration: '1m', field: 'value', items: ['item1', 'item2'] },
    ...extra,
  };
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  return waitFor(check, { timeout: timeoutMs / 1000 });
}

/** An open raw watch: the events so far, and helpers to wait for more. */
export interface RawWatch {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly events: Json[];
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  /** Waits until at least `count` events have arrived; returns them all. */
  until(count: number, timeoutMs?: number): Promise<Json[]>;
  /** Stops reading new data (to simulate a slow client) or resumes. */
  pause(): void;
  resume(): void;
  close(): void;
}

/** Opens a watch with a raw request; resolves once the response headers arrive. */
export function openWatch(
  server: FakeApiServer,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawWatch> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        headers: { Authorization: `Bearer ${server.token}`, ...headers },
        ca: server.caData,
        agent: new Agent({ ca: server.caData, keepAlive: false }),
      },
      (res) => {
        const events: Json[] = [];
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let newline = buffer.indexOf('\n');
          while (newline >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            if (line.trim()) events.push(JSON.parse(line) as Json);
            newline = buffer.indexOf('\n');
          }
        });
        const ended = new Promise<void>((done) => {
          res.on('end', done);
          res.on('close', done);
          res.on('error', () => done());
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          ended,
          until: (count, timeoutMs = 10_000) =>
            eventually(() => (events.length >= count ? events : undefined), timeoutMs),
          pause: () => res.pause(),
          resume: () => res.resume(),
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** `TYPE name` summaries of watch events (`BOOKMARK` without a name). */
export function summary(events: readonly Json[]): string[] {
  return events.map((event) => `${text(event, 'type')} ${text(event, 'object', 'metadata', 'name')}`.trim());
}
