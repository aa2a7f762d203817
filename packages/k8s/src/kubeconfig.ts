/**
 * Credentials from a kubeconfig, through client-node's `KubeConfig`: every way it
 * authenticates (static tokens, client certificates, exec plugins, OIDC, token
 * files, impersonation), applied per request so refreshed tokens are used, but
 * WITHOUT its agents (see `transport.ts`). On 401 the kubeconfig is loaded again
 * from its source, which also drops client-node's token caches.
 */
import { basename } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { CredentialSource, Credentials, TlsMaterial } from './credentials.js';
import { ApiConfigError, ApiLoginError } from './errors.js';

/** Which kubeconfig to load: a file path, a parsed object, or the default places. */
export interface KubeConfigSpec {
  /** A path to a kubeconfig file, or the parsed kubeconfig object; default: `$KUBECONFIG` or `~/.kube/config`. */
  readonly kubeconfig?: string | object | undefined;
  /** The context to use instead of the kubeconfig's `current-context`. */
  readonly context?: string | undefined;
}

/** The shape of client-node 1.4.0's (private) request-options filler we rely on. */
interface RequestOptionsFiller {
  applyOptions(options: AppliedOptions): Promise<void>;
}

interface AppliedOptions {
  headers: Record<string, string>;
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** Loads a kubeconfig as client-node would, with errors that name the source and the fix. */
export async function loadKubeConfig(spec: KubeConfigSpec): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  const source = describeSource(spec.kubeconfig);
  try {
    if (typeof spec.kubeconfig === 'string') config.loadFromFile(spec.kubeconfig);
    else if (spec.kubeconfig) config.loadFromString(JSON.stringify(spec.kubeconfig));
    else config.loadFromDefault();
  } catch (error) {
    throw new ApiConfigError(
      `Loading the kubeconfig failed: ${source} could not be read or parsed (${conciseReason(error)}). ` +
        'Fix the file, or point KUBECONFIG to a valid one.',
      // Not the parser's own error: its message quotes the offending lines, tokens included.
      { cause: redacted(error) },
    );
  }
  selectContext(config, spec.context, source);
  return config;
}

function selectContext(config: KubeConfig, context: string | undefined, source: string): void {
  if (context !== undefined) {
    if (!config.getContextObject(context)) {
      const known = config.getContexts().map((ctx) => ctx.name);
      throw new ApiConfigError(
        `Loading the kubeconfig failed: ${source} has no context "${context}". ` +
          `Use one of: ${known.join(', ') || '(none)'}.`,
      );
    }
    config.setCurrentContext(context);
  }
  if (!config.getCurrentCluster()) {
    throw new ApiConfigError(
      `Loading the kubeconfig failed: ${source} has no current context with a cluster. ` +
        'Set current-context, or pass a context explicitly.',
    );
  }
}

function describeSource(kubeconfig: string | object | undefined): string {
  if (typeof kubeconfig === 'string') return `the kubeconfig file ${kubeconfig}`;
  if (kubeconfig) return 'the given kubeconfig object';
  return process.env.KUBECONFIG
    ? `KUBECONFIG=${process.env.KUBECONFIG}`
    : 'the default kubeconfig (~/.kube/config)';
}

/** The first line of an error's message: parsers echo the offending input, which may hold secrets. */
function conciseReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? '';
  return firstLine.replace(/(token|password|secret|data)\S*/gi, '$1…').slice(0, 200);
}

/**
 * What can be said about a failure without quoting secrets: system errors (a missing
 * file or command) are safe to show; messages of plugins and parsers are not.
 */
function safeReason(error: unknown): string {
  if (error instanceof Error && 'syscall' in error) return error.message.split('\n')[0] ?? error.name;
  return error instanceof Error ? error.name : 'an error';
}

function authFailure(
  user: { exec?: { command?: string }; authProvider?: { name?: string } } | null,
  error: unknown,
): string {
  const reason = safeReason(error);
  if (user?.exec?.command) {
    return `its exec plugin "${basename(user.exec.command)}" failed (${reason}); run it by hand to see why`;
  }
  if (user?.authProvider?.name) return `its auth provider "${user.authProvider.name}" failed (${reason})`;
  return `${reason}; check its certificate and key files`;
}

/** A stand-in for an error whose message may quote secrets: same name, safe reason only. */
function redacted(error: unknown): Error {
  const stand = new Error(safeReason(error));
  stand.name = error instanceof Error ? error.name : 'Error';
  return stand;
}

/** Credentials from a kubeconfig, refreshed per request and re-loaded on 401. */
export class KubeConfigSource implements CredentialSource {
  readonly #spec: KubeConfigSpec;
  #config: KubeConfig;
  readonly #issuedBy = new WeakMap<Credentials, KubeConfig>();

  constructor(spec: KubeConfigSpec, config: KubeConfig) {
    this.#spec = spec;
    this.#config = config;
  }

  /** Loads the kubeconfig now, so that a broken one fails at start-up. */
  static async create(spec: KubeConfigSpec): Promise<KubeConfigSource> {
    return new KubeConfigSource(spec, await loadKubeConfig(spec));
  }

  async current(): Promise<Credentials> {
    const config = this.#config;
    const cluster = config.getCurrentCluster()!;
    const user = config.getCurrentUser();
    const options: AppliedOptions = { headers: {} };
    try {
      await (config as unknown as RequestOptionsFiller).applyOptions(options);
    } catch (error) {
      throw new ApiLoginError(
        `Authenticating as the kubeconfig user "${user?.name ?? '?'}" failed: ${authFailure(user, error)}.`,
        { cause: redacted(error) },
      );
    }
    if (user?.username && !options.headers.Authorization) {
      const basic = Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64');
      options.headers.Authorization = `Basic ${basic}`;
    }
    const credentials: Credentials = {
      server: cluster.server.replace(/\/+$/, ''),
      tls: tlsFrom(options, cluster.skipTLSVerify),
      headers: options.headers,
      proxyUrl: cluster.proxyUrl,
      defaultNamespace: config.getContextObject(config.getCurrentContext())?.namespace,
    };
    this.#issuedBy.set(credentials, config);
    return credentials;
  }

  async invalidate(rejected: Credentials): Promise<void> {
    if (this.#issuedBy.get(rejected) !== this.#config) return; // re-loaded since these were issued
    this.#config = await loadKubeConfig(this.#spec);
  }
}

function tlsFrom(options: AppliedOptions, skipTLSVerify: boolean): TlsMaterial {
  return {
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    rejectUnauthorized: skipTLSVerify ? false : options.rejectUnauthorized,
    servername: options.servername,
  };
}
