/**
 * The HTTP implementation of `ApiClient`: Kopf's request semantics over our
 * keep-alive pool. 5xx, 429 and connection errors are retried with the error
 * backoffs (`Retry-After` is a floor); other 4xx fail at once; a 401 re-obtains the
 * credentials and retries once. Streams are retried the same way until their
 * headers arrive; after that, a broken stream is the watcher's business.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiClient, ApiRequest, RequestInfo } from './client.js';
import type { CredentialSource, Credentials } from './credentials.js';
import { DEFAULT_ERROR_BACKOFFS, parseRetryAfter, requestRetryDelay, sleep } from './delays.js';
import type { ApiError } from './errors.js';
import { ApiConnectionError, apiErrorFor } from './errors.js';
import { parseJsonLines, StreamParseError } from './ndjson.js';
import { AgentPool, openExchange, readBody, TransportTimeoutError } from './transport.js';

/** Tuning of {@link HttpApiClient}; all durations in seconds. */
export interface HttpClientSettings {
  readonly requestTimeout?: number | undefined;
  readonly connectTimeout?: number | undefined;
  readonly errorBackoffs?: readonly number[] | undefined;
  readonly enforceRetryAfter?: boolean | undefined;
  readonly userAgent?: string | undefined;
  /** Called after every HTTP attempt (retries included) with what was asked and how it ended. */
  readonly onRequest?: ((info: RequestInfo) => void) | undefined;
}

const DEFAULT_REQUEST_TIMEOUT = 300;

/** One attempt's own abort controller, linked to the caller's signal and a timer. */
interface Attempt {
  readonly signal: AbortSignal;
  /** Stops the timer (the response headers arrived and the body is streamed). */
  disarm(): void;
  /** Unlinks from the caller's signal. */
  release(): void;
}

function startAttempt(outer: AbortSignal | undefined, timeoutMs: number): Attempt {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  if (outer?.aborted) onAbort();
  const timer = setTimeout(() => {
    controller.abort(new TransportTimeoutError(`no answer within ${timeoutMs / 1000} s`));
  }, timeoutMs);
  return {
    signal: controller.signal,
    disarm: () => clearTimeout(timer),
    release: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** An `ApiClient` over HTTP(S) with credentials from a {@link CredentialSource}. */
export class HttpApiClient implements ApiClient {
  readonly server: string;
  readonly defaultNamespace: string | undefined;
  readonly #source: CredentialSource;
  readonly #settings: HttpClientSettings;
  readonly #pool = new AgentPool();

  constructor(source: CredentialSource, initial: Credentials, settings: HttpClientSettings = {}) {
    this.#source = source;
    this.#settings = settings;
    this.server = publicServer(initial.server);
    this.defaultNamespace = initial.defaultNamespace;
  }

  async request<T = unknown>(request: ApiRequest): Promise<T> {
    const { response, text } = await this.#exchange(request, false);
    return parseBody(text, response.headers['content-type'], true) as T;
  }

  async stream(request: ApiRequest): Promise<AsyncIterable<unknown>> {
    const { response, attempt } = await this.#exchange(request, true);
    return this.#lines(request, response, attempt);
  }

  /** Closes pooled connections (open streams break). The client stays usable. */
  close(): void {
    this.#pool.close();
  }

  async #exchange(
    request: ApiRequest,
    streaming: boolean,
  ): Promise<{ response: IncomingMessage; attempt: Attempt; text: string }> {
    const backoffs = this.#settings.errorBackoffs ?? DEFAULT_ERROR_BACKOFFS;
    let retries = 0;
    let reauthenticated = false;
    for (let number = 1; ; number++) {
      const credentials = await this.#source.current();
      const started = performance.now();
      const attempt = startAttempt(request.signal, this.#timeoutMs(request));
      const report = (info: Partial<RequestInfo>): void =>
        this.#report({ method: request.method, path: request.path, attempt: number, started, ...info });
      let response: IncomingMessage;
      let text: string | undefined;
      try {
        response = await this.#open(request, credentials, attempt.signal, streaming);
        if (!streaming && (response.statusCode ?? 0) < 300) text = await readBody(response);
      } catch (error) {
        attempt.release();
        const failure = this.#failure(request, credentials, error);
        if (request.signal?.aborted) throw failure;
        const delay = requestRetryDelay(backoffs, retries++);
        report({ error: oneLine(failure), retryIn: delay });
        if (delay === undefined) throw failure;
        await sleep(delay, request.signal);
        continue;
      }
      const status = response.statusCode ?? 0;
      if (status < 300) {
        if (streaming) attempt.disarm();
        else attempt.release();
        report({ status });
        return { response, attempt, text: text ?? '' };
      }
      const error = await this.#apiError(request, response, attempt);
      attempt.release();
      if (status === 401 && !reauthenticated) {
        reauthenticated = true;
        report({ status, error: error.message, retryIn: 0 });
        await this.#source.invalidate(credentials);
        continue;
      }
      const retriable = status >= 500 || status === 429;
      const delay = retriable
        ? requestRetryDelay(backoffs, retries++, error.retryAfter, this.#settings.enforceRetryAfter)
        : undefined;
      report({ status, error: error.message, retryIn: delay });
      if (delay === undefined) throw error;
      await sleep(delay, request.signal);
    }
  }

  async #open(
    request: ApiRequest,
    credentials: Credentials,
    signal: AbortSignal,
    streaming: boolean,
  ): Promise<IncomingMessage> {
    const agent = await this.#pool.agentFor(credentials, streaming ? 'streams' : 'requests');
    const body = request.body === undefined ? undefined : serialize(request.body);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.#settings.userAgent ?? 'kopf-ts',
      ...credentials.headers,
    };
    if (body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const defaultConnectTimeout = this.#settings.connectTimeout;
    return openExchange(agent, {
      method: request.method,
      url: new URL(`${credentials.server}${request.path}${queryString(request.query)}`),
      headers,
      body,
      signal,
      connectTimeout:
        request.connectTimeout ??
        (defaultConnectTimeout === undefined ? undefined : defaultConnectTimeout * 1000),
    });
  }

  async #apiError(request: ApiRequest, response: IncomingMessage, attempt: Attempt): Promise<ApiError> {
    const text = await readBody(response).catch(() => '');
    const retryAfter = parseRetryAfter(header(response, 'retry-after'));
    const body = parseBody(text, response.headers['content-type'], true);
    attempt.release();
    return apiErrorFor(response.statusCode ?? 0, body, `${request.method} ${request.path}`, retryAfter);
  }

  async *#lines(request: ApiRequest, response: IncomingMessage, attempt: Attempt): AsyncGenerator<unknown> {
    try {
      yield* parseJsonLines(response);
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (error instanceof StreamParseError) throw error;
      throw new ApiConnectionError(
        `Reading the stream of ${request.method} ${request.path} from ${this.server} failed: ${oneLine(error)}`,
        { cause: error },
      );
    } finally {
      response.destroy();
      attempt.release();
    }
  }

  #failure(request: ApiRequest, credentials: Credentials, error: unknown): unknown {
    if (request.signal?.aborted) return request.signal.reason;
    return new ApiConnectionError(
      `Cannot reach the Kubernetes API at ${publicServer(credentials.server)} (${request.method} ${request.path}): ` +
        `${oneLine(error)}. Check the server address and whether the cluster is running.`,
      { cause: error },
    );
  }

  #timeoutMs(request: ApiRequest): number {
    return request.timeout ?? (this.#settings.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT) * 1000;
  }

  #report(
    info: Partial<RequestInfo> & { started: number; method: string; path: string; attempt: number },
  ): void {
    const hook = this.#settings.onRequest;
    if (!hook) return;
    const { started, ...rest } = info;
    try {
      hook({ ...rest, duration: (performance.now() - started) / 1000 } as RequestInfo);
    } catch {
      // A broken observer must not break the request.
    }
  }
}

function serialize(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function queryString(query: ApiRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function parseBody(text: string, contentType: string | undefined, lenient = false): unknown {
  if (text === '') return undefined;
  if (contentType && !contentType.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    if (lenient || !contentType) return text;
    throw error;
  }
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The server URL without any user-info part (which could hold a password). */
function publicServer(server: string): string {
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return '(invalid server URL)';
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
