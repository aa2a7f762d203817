/**
 * The HTTP side of one webhook call, as any webhook server needs it: only POST,
 * under the server's root path (the rest of the path is the handler id), a JSON body
 * of bounded size, the API server's deadline from `?timeout=` (a Go duration such as
 * `10s`), the headers as the `headers` kwarg. Whatever cannot be served becomes an
 * HTTP error answer (400, 404, 405, 413, …) with a Status body, never an exception.
 */
import type { IncomingMessage } from 'node:http';
import type { AdmissionRequestContext } from './admitting.js';
import { AdmissionRequestError } from './reviews.js';

/** An HTTP answer: its status and JSON body. */
export interface ReviewAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A readable webhook call: the parsed AdmissionReview and what the request says besides. */
export interface ReviewRequest {
  readonly review: unknown;
  readonly context: AdmissionRequestContext;
}

/** How to read calls. */
export interface ReviewReading {
  /** The server's root path (`''` or `/path`); the rest is the handler id. */
  readonly root: string;
  readonly maxBodySize: number;
}

const UNITS: Readonly<Record<string, number>> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 1e-3,
  us: 1e-6,
  µs: 1e-6,
  ns: 1e-9,
};

/**
 * Seconds in a Go duration (`30s`, `1m0s`, `1.5s`, `500ms`); `undefined` when absent,
 * malformed, or not positive.
 *
 * @example
 * parseGoDuration('1m30s'); // 90
 */
export function parseGoDuration(text: string | null | undefined): number | undefined {
  if (!text || !/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) {
    seconds += Number(amount) * (UNITS[unit as string] ?? 0);
  }
  return seconds > 0 ? seconds : undefined;
}

/** A Status body, as kube-apiserver's clients read error answers. */
function statusAnswer(status: number, message: string): ReviewAnswer {
  return { status, body: { apiVersion: 'v1', kind: 'Status', status: 'Failure', message, code: status } };
}

/**
 * The answer for an error while serving a call: the status an AdmissionRequestError
 * names, else 500 with the error's message.
 */
export function errorAnswer(error: unknown): ReviewAnswer {
  if (error instanceof AdmissionRequestError) return statusAnswer(error.status, error.message);
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return statusAnswer(500, `Serving the admission request failed: ${text}`);
}

function readBody(request: IncomingMessage, limit: number): Promise<string | ReviewAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(
        size > limit
          ? statusAnswer(413, `The AdmissionReview is larger than ${limit} bytes; it is not served.`)
          : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    request.on('error', reject);
  });
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The handler id in the path below `root`: `undefined` for the root itself; an answer (404) elsewhere. */
function webhookIn(pathname: string, root: string): { webhook: string | undefined } | ReviewAnswer {
  if (pathname === root || pathname === `${root}/`) return { webhook: undefined };
  if (!pathname.startsWith(`${root}/`))
    return statusAnswer(404, `Nothing is served at ${pathname}; webhooks are under ${root || '/'}.`);
  try {
    return { webhook: decodeURIComponent(pathname.slice(root.length + 1)) };
  } catch {
    return statusAnswer(400, `The path ${pathname} is not a valid URL path.`);
  }
}

/**
 * Reads one webhook call: the review and its context, or the error answer to give.
 *
 * @example
 * const read = await readReviewRequest(request, { root: '', maxBodySize: 3 << 20 });
 * if ('status' in read) respond(read); else await handle(read.review, read.context);
 */
export async function readReviewRequest(
  request: IncomingMessage,
  reading: ReviewReading,
): Promise<ReviewRequest | ReviewAnswer> {
  const url = new URL(request.url ?? '/', 'http://webhook');
  if (request.method !== 'POST') {
    request.resume();
    return statusAnswer(405, `Only POST is served; got ${request.method}.`);
  }
  const where = webhookIn(url.pathname, reading.root);
  if ('status' in where) {
    request.resume();
    return where;
  }
  const text = await readBody(request, reading.maxBodySize);
  if (typeof text !== 'string') return text;
  let review: unknown;
  try {
    review = JSON.parse(text);
  } catch (error) {
    return statusAnswer(400, `The AdmissionReview is not JSON: ${(error as Error).message}`);
  }
  const timeout = parseGoDuration(url.searchParams.get('timeout'));
  return {
    review,
    context: {
      webhook: where.webhook,
      headers: headersOf(request),
      ...(timeout !== undefined ? { timeout } : {}),
    },
  };
}
