/**
 * Writing responses with the headers kube-apiserver sends: the negotiated
 * `Content-Type`, `Cache-Control: no-cache, private`, an `Audit-Id`, and `kind: Status`
 * bodies for every error (with `Retry-After` when the Status carries a delay).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import { contentTypeOf, type OutputFormat } from './negotiation.js';
import { StatusError } from './statuses.js';

/** The headers every answer carries. */
export function commonHeaders(res: ServerResponse): void {
  res.setHeader('Audit-Id', randomUUID());
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/** Sends a body in the negotiated format (JSON unless YAML was asked for). */
export function sendObject(
  res: ServerResponse,
  code: number,
  body: unknown,
  format: OutputFormat = { kind: 'json' },
): void {
  const text = format.kind === 'yaml' ? toYaml(body) : JSON.stringify(body);
  const payload = Buffer.from(text, 'utf8');
  res.statusCode = code;
  res.setHeader('Content-Type', contentTypeOf(format));
  res.setHeader('Content-Length', payload.length);
  res.end(payload);
}

/** Sends prepared bytes with their media type (OpenAPI documents). */
export function sendBytes(res: ServerResponse, contentType: string, body: Buffer): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** Sends a plain-text body (health endpoints). */
export function sendText(res: ServerResponse, code: number, text: string): void {
  res.statusCode = code;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Sends a `kind: Status` error (JSON), with `Retry-After` when it has a delay. */
export function sendStatusError(res: ServerResponse, error: StatusError): void {
  const retryAfter = error.status.details?.retryAfterSeconds;
  if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
  // As Go's net/http (kube-apiserver) does: an answer given before the request body was read
  // (a 413) closes the connection, whose unread rest would otherwise be taken for the next request.
  if (!res.req.complete) res.setHeader('Connection', 'close');
  sendObject(res, error.code, error.status);
}

/** Sends any error: a StatusError as is, anything else as a 500 InternalError. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof StatusError) {
    sendStatusError(res, error);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendStatusError(
    res,
    new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: ${message}`,
      reason: 'InternalError',
      details: { causes: [{ message }] },
      code: 500,
    }),
  );
}
