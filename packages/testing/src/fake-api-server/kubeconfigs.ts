/**
 * The kubeconfig a person (kubectl) or a client library uses to reach the fake: one
 * cluster with the CA inlined, one admin user with the bearer token, one context.
 * For plain HTTP it sets `insecure-skip-tls-verify`, without which client-node refuses
 * `http://` servers.
 */
import { stringify } from 'yaml';

/** What goes into the kubeconfig. */
export interface KubeconfigSpec {
  readonly server: string;
  readonly caData?: string;
  readonly token: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly user?: string;
}

/** Renders the kubeconfig YAML. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const context = spec.context ?? 'kopf-fake';
  const user = spec.user ?? 'kopf-fake-admin';
  const cluster: Record<string, unknown> = { server: spec.server };
  if (spec.caData)
    cluster['certificate-authority-data'] = Buffer.from(spec.caData, 'utf8').toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster }],
    users: [{ name: user, user: { token: spec.token } }],
    contexts: [
      { name: context, context: { cluster: context, user, namespace: spec.namespace ?? 'default' } },
    ],
    'current-context': context,
    preferences: {},
  });
}
