/**
 * A Deployment running the operator with `kopf run`, for `kopf generate deployment`:
 * one replica (Recreate, so that an old and a new operator never serve the same
 * objects at once), the operator's ServiceAccount, and an HTTP liveness probe on
 * the `--liveness` endpoint when one is given.
 */
import type { KubernetesObject } from '@kopf/core';
import { UsageError } from './errors.js';

/** What the Deployment runs. */
export interface DeploymentOptions {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  /** The arguments of `kopf run` (files, `-A`/`-n`, …), without the liveness option. */
  readonly runArgs: readonly string[];
  /** The project directory inside the image (where node_modules is); default `/app`. */
  readonly workdir?: string;
  /** `http://0.0.0.0:8080/healthz`: passed to `kopf run --liveness` and probed. */
  readonly liveness?: string;
}

/**
 * The Deployment object.
 *
 * @throws UsageError when the liveness URL is not an http URL with a port.
 */
export function deploymentManifest(options: DeploymentOptions): KubernetesObject {
  const labels = { 'app.kubernetes.io/name': options.name };
  const probe = options.liveness ? livenessProbe(options.liveness) : undefined;
  const args = ['run', ...options.runArgs, ...(options.liveness ? ['--liveness', options.liveness] : [])];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, namespace: options.namespace, labels },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: options.name,
          containers: [
            {
              name: 'operator',
              image: options.image,
              workingDir: options.workdir ?? '/app',
              command: ['node', 'node_modules/@kopf/cli/bin/kopf.js'],
              args,
              ...(probe ? { livenessProbe: probe } : {}),
            },
          ],
        },
      },
    },
  };
}

function livenessProbe(url: string): Record<string, unknown> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `--liveness ${JSON.stringify(url)} is not a URL; use e.g. http://0.0.0.0:8080/healthz.`,
    );
  }
  if (parsed.protocol !== 'http:' || !parsed.port) {
    throw new UsageError(
      `--liveness ${JSON.stringify(url)} must be http:// with a port, e.g. http://0.0.0.0:8080/healthz.`,
    );
  }
  return {
    httpGet: { path: parsed.pathname || '/', port: Number(parsed.port) },
    periodSeconds: 10,
    timeoutSeconds: 5,
  };
}
