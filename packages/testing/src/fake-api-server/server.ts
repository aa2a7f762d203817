/**
 * `FakeApiServer`: a real HTTPS (or HTTP) server speaking the Kubernetes REST
 * protocol over an in-memory (optionally persistent) store, for tests and local
 * development. It starts with a fresh CA (or the persisted one), the default
 * namespaces and the built-in resources; CRDs add resources as on a real cluster.
 * Tests reach it through `kubeconfig()`, and steer it through `faults` and `counters`.
 */
import { writeFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { assembleContext } from './assembly.js';
import { bootstrapCluster } from './bootstrap.js';
import { builtinTypes } from './builtins.js';
import { issueClientCertificate, type KeyPair, type ServerPki } from './certificates.js';
import { Controllers } from './controllers.js';
import type { RequestCounters } from './counters.js';
import type { Faults } from './faults.js';
import { GarbageCollector } from './garbage-collection.js';
import { type HandlingContext, handleRequest } from './handling.js';
import { renderKubeconfig } from './kubeconfigs.js';
import { newIdentity, persistedIdentity, type ServerIdentity } from './persisted-identity.js';
import { PersistentStore } from './persistent-store.js';
import { ResourceRegistry } from './registry.js';
import type { FakeApiServerOptions, KubeconfigOptions } from './server-options.js';
import { MemoryStore, type ObjectStore } from './store.js';
import type { WatchStream } from './watch-streams.js';

export type { FakeApiServerOptions, KubeconfigOptions } from './server-options.js';

/** How long `stop()` lets watch streams finish their last lines before cutting connections. */
const STOP_GRACE_MS = 200;

/** Something that runs beside the server and stops with it. */
interface Stoppable {
  stop(): Promise<void>;
}

async function openStore(
  options: FakeApiServerOptions,
): Promise<{ store: ObjectStore; identity: ServerIdentity }> {
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls !== false;
  const historySize = options.historySize ?? 10000;
  if (options.persistTo === undefined) {
    return { store: new MemoryStore(historySize), identity: await newIdentity([host], tls, options.token) };
  }
  const store = await PersistentStore.open(options.persistTo, historySize);
  try {
    return { store, identity: await persistedIdentity(options.persistTo, [host], tls, options.token) };
  } catch (error) {
    await store.close();
    throw error;
  }
}

function listener(context: HandlingContext, pki: ServerPki | undefined): Server {
  const handler = (req: IncomingMessage, res: ServerResponse): void => void handleRequest(context, req, res);
  const http = pki
    ? createHttpsServer(
        {
          key: pki.server.keyPem,
          cert: pki.server.certPem,
          ca: pki.ca.certPem,
          requestCert: true,
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
        },
        handler,
      )
    : createHttpServer(handler);
  http.keepAliveTimeout = 120_000;
  http.headersTimeout = 125_000;
  return http;
}

/** A running fake Kubernetes API server. */
export class FakeApiServer {
  /** Request counters by verb/group/resource/subresource. */
  readonly counters: RequestCounters;
  /** Fault injection. */
  readonly faults: Faults;
  /** The admin bearer token. */
  readonly token: string;

  private readonly watches = new Map<WatchStream, () => void>();
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly http: Server,
    context: HandlingContext,
    private readonly controllers: readonly Stoppable[],
    private readonly store: ObjectStore,
    private readonly pki: ServerPki | undefined,
    private readonly host: string,
  ) {
    this.counters = context.counters;
    this.faults = context.faults;
    this.token = context.token;
  }

  /** Starts a server and resolves once it listens (and, with `persistTo`, has restored its store). */
  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const host = options.host ?? '127.0.0.1';
    const { store, identity } = await openStore(options);
    const registry = new ResourceRegistry(builtinTypes());
    let server: FakeApiServer | undefined;
    const context = assembleContext(options, store, registry, identity.token, {
      watches: () => server?.openWatches() ?? [],
      address: () => server?.address ?? host,
      register: (stream, bookmark) => server?.registerWatch(stream, bookmark) ?? (() => undefined),
    });
    const http = listener(context, identity.pki);
    const controllers = new Controllers(context, registry);
    controllers.start();
    const collector = new GarbageCollector(context, registry);
    collector.start();
    await bootstrapCluster(context, registry, options.namespaces ?? []);
    server = new FakeApiServer(http, context, [controllers, collector], store, identity.pki, host);
    const created = server;
    registry.onChange(() => created.endWatchesOfUnservedResources(registry));
    try {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(options.port ?? 0, host, () => {
          http.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await created.stop();
      throw error;
    }
    await store.whenDurable();
    server.startBookmarks(options.bookmarkInterval ?? 60_000);
    return server;
  }

  /** `host:port` as clients dial it. */
  get address(): string {
    const address = this.http.address() as AddressInfo | null;
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${host}:${address?.port ?? 0}`;
  }

  /** The base URL, e.g. `https://127.0.0.1:34567`. */
  get url(): string {
    return `${this.pki ? 'https' : 'http'}://${this.address}`;
  }

  /** The PEM of the CA (empty for plain HTTP). */
  get caData(): string {
    return this.pki?.ca.certPem ?? '';
  }

  /** A kubeconfig (YAML) for kubectl and client libraries, with the admin token. */
  kubeconfig(options: KubeconfigOptions = {}): string {
    return renderKubeconfig({
      server: this.url,
      ...(this.pki ? { caData: this.pki.ca.certPem } : {}),
      ...options,
      token: options.token ?? this.token,
    });
  }

  /** Writes `kubeconfig()` to a file (mode 0600). */
  async writeKubeconfig(path: string, options: KubeconfigOptions = {}): Promise<void> {
    await writeFile(path, this.kubeconfig(options), { mode: 0o600 });
  }

  /** A client certificate signed by the server's CA: authenticates as `user` in `groups`. */
  async clientCertificate(user: string, groups: readonly string[] = []): Promise<KeyPair> {
    if (!this.pki)
      throw new Error(
        `Issuing a client certificate for ${user} failed: the server runs without TLS; start it with tls: true`,
      );
    return issueClientCertificate(this.pki.ca, user, groups);
  }

  /** Stops listening, closes every connection (watches too), and resolves when all is closed. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    await Promise.all(this.controllers.map((controller) => controller.stop()));
    const streams = [...this.watches.keys()];
    const ended = Promise.all(
      streams.map((stream) => new Promise<void>((resolve) => stream.onClose(resolve))),
    );
    for (const stream of streams) stream.end();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([ended, new Promise<void>((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(grace);
    this.http.closeAllConnections();
    await closed;
    await this.store.close();
  }

  private openWatches(): { stream: WatchStream; bookmark: () => void }[] {
    return [...this.watches].map(([stream, bookmark]) => ({ stream, bookmark }));
  }

  /** Ends the watches of resources no longer served (a deleted CRD), as kube-apiserver does. */
  private endWatchesOfUnservedResources(registry: ResourceRegistry): void {
    const served = new Set(registry.all().map((type) => `${type.group}/${type.plural}`));
    for (const stream of this.watches.keys()) {
      if (!served.has(`${stream.target.group}/${stream.target.resource}`)) stream.end();
    }
  }

  private registerWatch(stream: WatchStream, bookmark: () => void): () => void {
    if (this.stopping) stream.end();
    this.watches.set(stream, bookmark);
    return () => this.watches.delete(stream);
  }

  private startBookmarks(interval: number): void {
    if (interval <= 0 || !Number.isFinite(interval)) return;
    this.bookmarkTimer = setInterval(() => {
      for (const bookmark of this.watches.values()) bookmark();
    }, interval);
    this.bookmarkTimer.unref();
  }
}
