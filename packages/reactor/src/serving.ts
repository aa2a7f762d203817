/**
 * The operator's small HTTP endpoints (liveness, readiness, metrics): a plain
 * `node:http` server on the host and port of a URL such as
 * `http://0.0.0.0:8080/healthz`, answering GET requests by path. Port 0 picks a
 * free port (the actual URL is reported back). Closing drops idle keep-alive
 * connections, so a stopped operator leaves no open handles.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KopfError } from '@kopf/core';

/** An endpoint URL could not be served (a bad URL, or the port is taken). */
export class EndpointError extends KopfError {
  override name = 'EndpointError';
}

/** An answer: a status code and a JSON or text body. */
export interface EndpointAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/** Answers the requests of one path. */
export type Route = () => Promise<EndpointAnswer>;

/** A running endpoint server. */
export interface Endpoint {
  /** The base URL actually served (with the real port). */
  readonly url: string;
  close(): Promise<void>;
}

/** The host, port and path of an `http://host:port/path` URL. */
export function parseEndpoint(url: string, purpose: string): { host: string; port: number; path: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new EndpointError(
      `Serving the ${purpose} endpoint failed: '${url}' is not a URL; use e.g. http://0.0.0.0:8080/healthz.`,
      {
        cause: error,
      },
    );
  }
  if (parsed.protocol !== 'http:') {
    throw new EndpointError(
      `Serving the ${purpose} endpoint failed: only http:// URLs are supported, got '${url}'.`,
    );
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost';
  return { host, port: parsed.port === '' ? 80 : Number(parsed.port), path: parsed.pathname || '/' };
}

/**
 * Serves `routes` (by path) on the host and port of `url`.
 *
 * @throws EndpointError when the URL is not `http://` or the port cannot be bound.
 * @example
 * const endpoint = await serveEndpoint('http://0.0.0.0:8080/healthz', 'liveness', { '/healthz': check });
 */
export async function serveEndpoint(
  url: string,
  purpose: string,
  routes: Readonly<Record<string, Route>>,
): Promise<Endpoint> {
  const { host, port } = parseEndpoint(url, purpose);
  const server = createServer((request, response) => void answer(routes, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new EndpointError(`Serving the ${purpose} endpoint at ${url} failed: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(
  routes: Readonly<Record<string, Route>>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const route = routes[path];
  let result: EndpointAnswer;
  if (request.method !== 'GET' && request.method !== 'HEAD')
    result = { status: 405, body: 'Method Not Allowed\n' };
  else if (!route) result = { status: 404, body: 'Not Found\n' };
  else {
    try {
      result = await route();
    } catch (error) {
      result = { status: 500, body: `${JSON.stringify({ error: String(error) })}\n` };
    }
  }
  response.writeHead(result.status, { 'Content-Type': result.contentType ?? 'application/json' });
  response.end(request.method === 'HEAD' ? undefined : result.body);
}
