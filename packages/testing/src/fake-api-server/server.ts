/**
 * `FakeApiServer`: a real HTTPS (or HTTP) server speaking the Kubernetes REST
 * protocol over an in-memory store, for tests and local development. It starts with
 * a fresh CA, the default namespaces and the built-in resources; CRDs add resources as
 * on a real cluster. Tests reach it through `kubeconfig()`, and steer it through
 * `faults` and `counters`.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { answerReview, type ReviewHost } from './access-reviews.js';
import { AdmissionChain, customResourceTerminating, namespaceLifecycle } from './admission.js';
import { type UserSpec, userOf } from './authentication.js';
import { type AuthorizeHook, type Decision, decide, type UserInfo } from './authorization.js';
import { builtinTypes } from './builtins.js';
import { generateServerPki, issueClientCertificate, type KeyPair, type ServerPki } from './certificates.js';
import { Controllers } from './controllers.js';
import { RequestCounters } from './counters.js';
import { Faults } from './faults.js';
import { GarbageCollector } from './garbage-collection.js';
import { type HandlingContext, handleRequest } from './handling.js';
import { renderKubeconfig } from './kubeconfigs.js';
import type { VersionInfo } from './nonresource.js';
import type { JsonObject } from './objects.js';
import { OpenApiDocuments } from './openapi-documents.js';
import { decodeProtobufObject } from './protobuf.js';
import { RbacAuthorizer } from './rbac.js';
import { bootstrapPolicy } from './rbac-kinds.js';
import { ResourceRegistry } from './registry.js';
import type { RequestInfo } from './request-info.js';
import { badRequest, failure } from './statuses.js';
import { MemoryStore } from './store.js';
import { StrategicMergeError, strategicMergePatch } from './strategic-merge.js';
import { renderTable } from './tables.js';
import type { WatchStream } from './watch-streams.js';
import { mutatingWebhooks, type ServiceResolver, validatingWebhooks, type WebhookHost } from './webhooks.js';
import { createObject } from './writing.js';

/** Options of `FakeApiServer.start()`. */
export interface FakeApiServerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Port; default 0 (a free one). */
  readonly port?: number;
  /** HTTPS with a generated CA (default `true`), or plain HTTP. */
  readonly tls?: boolean;
  /** The admin bearer token; default random. */
  readonly token?: string;
  /** The advertised `/version`; default v1.33.4. */
  readonly version?: VersionInfo;
  /** Namespaces created at start besides default, kube-system, kube-public, kube-node-lease. */
  readonly namespaces?: readonly string[];
  /** How many changes the watch history keeps for resumes; older resource versions get 410. Default 10000. */
  readonly historySize?: number;
  /** Milliseconds between BOOKMARKs on watches that allow them; default 60000. */
  readonly bookmarkInterval?: number;
  /** Seconds a watch lasts without `timeoutSeconds`; default random 1800–3600 as kube-apiserver. */
  readonly watchTimeoutSeconds?: number;
  /** Authorization hook: return `true` to allow, `false` or a reason to answer 403. Default: allow all. */
  readonly authorize?: AuthorizeHook;
  /**
   * Where admission webhooks given as `clientConfig.service` are reached (there is no
   * cluster network); default `https://<name>.<namespace>.svc:<port><path>`. The
   * webhook's certificate must still be valid for `<name>.<namespace>.svc`.
   */
  readonly serviceResolver?: ServiceResolver;
  /**
   * More bearer tokens and who they are: a user name, a service account
   * (`system:serviceaccount:<namespace>:<name>`, which gets kube's service-account groups),
   * or `{ username, groups }`. Every such user is also in `system:authenticated`.
   */
  readonly users?: Readonly<Record<string, UserSpec>>;
  /**
   * Enforce RBAC (Roles, ClusterRoles and their bindings, as stored) for every user but
   * the admin (`system:masters`); default `false`: every authenticated user may do anything.
   */
  readonly rbac?: boolean;
}

/** Options of `kubeconfig()`. */
export interface KubeconfigOptions {
  readonly context?: string;
  readonly namespace?: string;
  /** The bearer token to use; default the admin token. */
  readonly token?: string;
}

/** How long `stop()` lets watch streams finish their last lines before cutting connections. */
const STOP_GRACE_MS = 200;

const DEFAULT_VERSION: VersionInfo = { major: '1', minor: '33', gitVersion: 'v1.33.4' };
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The `default/kubernetes` Service every cluster has, pointing at the API server. */
async function createKubernetesService(context: HandlingContext, registry: ResourceRegistry): Promise<void> {
  const type = registry.lookup('', 'v1', 'services');
  if (!type || context.store.get(type.storage, 'default/kubernetes')) return;
  const spec = {
    type: 'ClusterIP',
    clusterIP: '10.96.0.1',
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
  };
  await createObject(
    context,
    type,
    'default',
    { metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } }, spec },
    { dryRun: false, fieldManager: 'kube-apiserver' },
  );
}

/** The bootstrap ClusterRoles and bindings every cluster has (unless a restart finds them). */
async function createBootstrapPolicy(context: HandlingContext, registry: ResourceRegistry): Promise<void> {
  const policy = bootstrapPolicy();
  const kinds = [
    ['clusterroles', policy.clusterRoles],
    ['clusterrolebindings', policy.clusterRoleBindings],
  ] as const;
  for (const [plural, objects] of kinds) {
    const type = registry.lookup('rbac.authorization.k8s.io', 'v1', plural);
    if (!type) continue;
    for (const object of objects) {
      const name = String((object.metadata as { name: string }).name);
      if (context.store.get(type.storage, name)) continue;
      await createObject(context, type, '', object, { dryRun: false, fieldManager: 'kube-apiserver' });
    }
  }
}

function rbacDecision(rbac: RbacAuthorizer, user: UserInfo, info: RequestInfo): Decision {
  const decision = rbac.authorize(user, info);
  return decision.allowed ? { allowed: true, reason: '' } : { allowed: false, reason: decision.reason };
}

/** What a user may do in a namespace (SelfSubjectRulesReview): everything without RBAC or for the admin. */
function rulesFor(
  rbac: RbacAuthorizer,
  enforced: boolean,
  user: UserInfo,
  namespace: string,
): { resource: JsonObject[]; nonResource: JsonObject[] } {
  if (!enforced || user.groups.includes('system:masters')) {
    return {
      resource: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResource: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    };
  }
  const rules = rbac.rulesFor(user, namespace);
  return {
    resource: rules.filter((rule) => rule.resources !== undefined),
    nonResource: rules.filter((rule) => rule.nonResourceURLs !== undefined),
  };
}

/** Strategic merge with the real server's answers to bad patches (400 or 422). */
function strategicMerge(
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  target: { group: string; version: string; kind: string },
): Record<string, unknown> {
  try {
    return strategicMergePatch(original, patch, target);
  } catch (error) {
    if (!(error instanceof StrategicMergeError)) throw error;
    throw error.code === 422 ? failure(422, 'Invalid', error.message, {}) : badRequest(error.message);
  }
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
    private readonly controllers: readonly { stop(): Promise<void> }[],
    private readonly pki: ServerPki | undefined,
    private readonly host: string,
  ) {
    this.counters = context.counters;
    this.faults = context.faults;
    this.token = context.token;
  }

  /** Starts a server and resolves once it listens. */
  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const host = options.host ?? '127.0.0.1';
    const pki = options.tls === false ? undefined : await generateServerPki([host]);
    const store = new MemoryStore(options.historySize ?? 10000);
    const registry = new ResourceRegistry(builtinTypes());
    const openApi = new OpenApiDocuments(registry);
    const webhookHost: WebhookHost = {
      configurations: (kind) => store.list(`admissionregistration.k8s.io/${kind}webhookconfigurations`),
      namespace: (name) => store.get('/namespaces', name),
      equivalents: (type) =>
        registry.all().filter((other) => other.storage === type.storage && other !== type),
      ...(options.serviceResolver ? { serviceResolver: options.serviceResolver } : {}),
    };
    let server: FakeApiServer | undefined;
    const counters = new RequestCounters();
    const rbac = new RbacAuthorizer(store);
    const users = new Map(Object.entries(options.users ?? {}).map(([token, spec]) => [token, userOf(spec)]));
    const authorizer = options.rbac
      ? (user: UserInfo, info: RequestInfo) => rbacDecision(rbac, user, info)
      : undefined;
    const reviews: ReviewHost = {
      decide: (user, info) => decide(options.authorize, authorizer, user, info),
      rulesFor: (user, namespace) => rulesFor(rbac, options.rbac === true, user, namespace),
    };
    const context: HandlingContext = {
      store,
      registry,
      now: () => new Date(),
      admission: new AdmissionChain([
        namespaceLifecycle((name) => store.get('/namespaces', name)),
        mutatingWebhooks(webhookHost),
        customResourceTerminating,
        validatingWebhooks(webhookHost),
      ]),
      token: options.token ?? randomBytes(24).toString('base64url'),
      counters,
      faults: new Faults({
        watches: () => server?.openWatches() ?? [],
        compact: () => store.compact(),
      }),
      version: options.version ?? DEFAULT_VERSION,
      serverAddress: () => server?.address ?? host,
      defaultTimeoutSeconds: () => options.watchTimeoutSeconds ?? 1800 * (1 + Math.random()),
      register: (stream, bookmark) => server?.registerWatch(stream, bookmark) ?? (() => undefined),
      strategicMerge,
      decodeProtobuf: decodeProtobufObject,
      renderTable: (objects, type, tableOptions) =>
        renderTable(objects, type.columns, {
          now: new Date(),
          nameColumn: type.nameColumn ?? true,
          ...tableOptions,
        }),
      openApi: (path) => openApi.lookup(path),
      ...(options.authorize ? { authorize: options.authorize } : {}),
      ...(authorizer ? { authorizer } : {}),
      users,
      review: (type, body, user) => answerReview(type, body, user, reviews),
    };
    const handler = (req: IncomingMessage, res: ServerResponse): void =>
      void handleRequest(context, req, res);
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
    const controllers = new Controllers(context, registry);
    controllers.start();
    const collector = new GarbageCollector(context, registry);
    collector.start();
    for (const name of [...SYSTEM_NAMESPACES, ...(options.namespaces ?? [])]) {
      const type = registry.lookup('', 'v1', 'namespaces');
      if (type && !store.get('/namespaces', name))
        await createObject(
          context,
          type,
          '',
          { metadata: { name } },
          { dryRun: false, fieldManager: 'kube-apiserver' },
        );
    }
    await createKubernetesService(context, registry);
    await createBootstrapPolicy(context, registry);
    server = new FakeApiServer(http, context, [controllers, collector], pki, host);
    const created = server;
    registry.onChange(() => created.endWatchesOfUnservedResources(registry));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, host, () => {
        http.off('error', reject);
        resolve();
      });
    });
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
