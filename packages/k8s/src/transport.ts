/**
 * One HTTP(S) exchange with the API server over a shared keep-alive connection
 * pool. Agents are built by us per server and TLS material and reused (client-node
 * 1.4.0 builds an agent per request and leaks sockets): one for requests, with a
 * bounded number of connections so that a burst queues on warm connections instead
 * of opening (and TLS-handshaking) hundreds of new ones, and one for watch streams,
 * unbounded, since every stream holds its connection for its whole life. Both share
 * one TLS context. Credentials decide the headers per request; retries live in
 * `http-client.ts`, not here.
 */
import { createHash } from 'node:crypto';
import type { Agent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Credentials } from './credentials.js';

/** What one attempt sends. */
export interface Exchange {
  readonly method: string;
  readonly url: URL;
  readonly headers: OutgoingHttpHeaders;
  readonly body?: string | undefined;
  /** Aborts the attempt (the caller's signal combined with its timeouts). */
  readonly signal: AbortSignal;
  /** Milliseconds to establish a new connection; none when undefined. */
  readonly connectTimeout?: number | undefined;
}

/** Raised (as an abort reason) when an attempt runs out of time. */
export class TransportTimeoutError extends Error {
  override name = 'TransportTimeoutError';
}

/**
 * Connections for non-streaming requests per server: a burst of requests beyond
 * this queues for a free connection (measured: unbounded, a 10,000-object burst
 * spent half of the operator's CPU in new TLS handshakes).
 */
export const REQUEST_CONNECTIONS = 50;

/** What an agent carries: short requests, or long-lived watch streams. */
export type AgentPurpose = 'requests' | 'streams';

/**
 * Keep-alive agents, per server + TLS material (CA, client certificate and key,
 * verification switch, SNI name, proxy) and purpose. Idle sockets do not keep the
 * process alive (Node unrefs pooled sockets); `close()` destroys everything.
 */
export class AgentPool {
  readonly #agents = new Map<string, Agent>();
  /** At most this many distinct credential sets keep their agents; older ones are closed. */
  readonly #limit: number;

  constructor(limit = 8) {
    this.#limit = limit;
  }

  /** The agent for these credentials and purpose, built on first use. */
  async agentFor(credentials: Credentials, purpose: AgentPurpose = 'requests'): Promise<Agent> {
    const key = `${purpose}:${agentKey(credentials)}`;
    const existing = this.#agents.get(key);
    if (existing) return existing;
    const agent = await buildAgent(credentials, purpose);
    this.#agents.set(key, agent);
    if (this.#agents.size > this.#limit * 2) this.#evictOldest();
    return agent;
  }

  /** How many agents are pooled (one per distinct credential set). */
  get size(): number {
    return this.#agents.size;
  }

  /** Destroys all agents and their sockets (open watches break). */
  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  #evictOldest(): void {
    const [oldestKey, oldest] = this.#agents.entries().next().value as [string, Agent];
    this.#agents.delete(oldestKey);
    oldest.destroy();
  }
}

const agentKeys = new WeakMap<Credentials, string>();

/** The pool key of a credential set, computed once per credentials object (hashing PEMs is not free). */
function agentKey(credentials: Credentials): string {
  let key = agentKeys.get(credentials);
  if (key === undefined) {
    key = computeAgentKey(credentials);
    agentKeys.set(credentials, key);
  }
  return key;
}

function computeAgentKey(credentials: Credentials): string {
  const { tls } = credentials;
  const origin = new URL(credentials.server).origin;
  const parts = [
    origin,
    tls.ca,
    tls.cert,
    tls.key,
    tls.rejectUnauthorized,
    tls.servername,
    credentials.proxyUrl,
  ];
  return createHash('sha256')
    .update(JSON.stringify(parts.map((part) => (Buffer.isBuffer(part) ? part.toString('base64') : part))))
    .digest('hex');
}

async function buildAgent(credentials: Credentials, purpose: AgentPurpose): Promise<Agent> {
  const { tls } = credentials;
  const options: https.AgentOptions = {
    keepAlive: true,
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    servername: tls.servername,
  };
  if (purpose === 'requests') options.maxSockets = REQUEST_CONNECTIONS;
  if (tls.rejectUnauthorized !== undefined) options.rejectUnauthorized = tls.rejectUnauthorized;
  if (credentials.proxyUrl) return proxyAgent(credentials.server, credentials.proxyUrl, options);
  if (credentials.server.startsWith('http:')) return new http.Agent(options);
  // One parsed TLS context for all connections: otherwise each new socket parses the PEMs again.
  options.secureContext = secureContextFor(tls);
  return new https.Agent(options);
}

const secureContexts = new Map<string, ReturnType<typeof createSecureContext>>();

function secureContextFor(tls: Credentials['tls']): ReturnType<typeof createSecureContext> {
  const key = createHash('sha256')
    .update(
      JSON.stringify(
        [tls.ca, tls.cert, tls.key].map((part) => (Buffer.isBuffer(part) ? part.toString('base64') : part)),
      ),
    )
    .digest('hex');
  let context = secureContexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key });
    secureContexts.set(key, context);
    // Rotated client certificates must not pile up: keep the few newest.
    if (secureContexts.size > 16) secureContexts.delete(secureContexts.keys().next().value as string);
  }
  return context;
}

/**
 * Proxies (`proxy-url` in a kubeconfig) go through client-node's own agent
 * builder (hpagent / socks-proxy-agent), called once per credential set.
 */
async function proxyAgent(server: string, proxyUrl: string, options: https.AgentOptions): Promise<Agent> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const builder = new KubeConfig() as unknown as {
    createAgent(cluster: { server: string; proxyUrl: string; skipTLSVerify: boolean }, opts: object): Agent;
  };
  return builder.createAgent(
    { server, proxyUrl, skipTLSVerify: options.rejectUnauthorized === false },
    options,
  );
}

/**
 * Sends one request and resolves with the response as soon as its headers arrive
 * (the body is still to be read). Rejects on connection errors, on the connect
 * timeout, and when `signal` aborts (with the signal's reason).
 */
export function openExchange(agent: Agent, exchange: Exchange): Promise<IncomingMessage> {
  const { url, signal } = exchange;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const transport = url.protocol === 'http:' ? http : https;
    const request = transport.request(url, { method: exchange.method, headers: exchange.headers, agent });
    let finished = false;
    let received: IncomingMessage | undefined;
    const onAbort = (): void => {
      // Once the whole body has arrived, the socket goes back to the pool: leave it be.
      if (finished || received?.complete) received?.destroy();
      else request.destroy(signal.reason);
    };
    const release = (): void => {
      finished = true;
      signal.removeEventListener('abort', onAbort);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('socket', (socket) => watchConnecting(socket, request, exchange.connectTimeout));
    request.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? signal.reason : error);
    });
    request.on('response', (response) => {
      received = response;
      response.once('end', release);
      response.once('close', release);
      resolve(response);
    });
    request.end(exchange.body);
  });
}

function watchConnecting(socket: Socket, request: http.ClientRequest, timeout: number | undefined): void {
  if (timeout === undefined || !socket.connecting) return;
  const timer = setTimeout(() => {
    request.destroy(new TransportTimeoutError(`no connection within ${timeout / 1000} s`));
  }, timeout);
  const clear = (): void => clearTimeout(timer);
  socket.once('connect', clear);
  socket.once('close', clear);
}

/** Reads a whole response body as text (rejects if the connection breaks). */
export async function readBody(response: IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk;
  return text;
}
