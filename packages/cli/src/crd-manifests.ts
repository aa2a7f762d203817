/**
 * A CustomResourceDefinition skeleton for `kopf generate crd`: one served and
 * stored version whose `spec` and `status` keep unknown fields (so nothing the
 * operator writes is pruned, Kopf's advice) and with the status subresource.
 */
import type { KubernetesObject } from '@kopf/core';
import { UsageError } from './errors.js';

/** What the CRD defines. */
export interface CrdOptions {
  readonly group: string;
  readonly kind: string;
  /** Default `v1`. */
  readonly version?: string;
  /** Default: the kind in lower case, pluralised in English (`KopfExample` → `kopfexamples`). */
  readonly plural?: string;
  readonly singular?: string;
  readonly shortNames?: readonly string[];
  /** Default `true`; `false` for a cluster-scoped kind. */
  readonly namespaced?: boolean;
}

/** `kopfexample` → `kopfexamples`, `policy` → `policies`, `box` → `boxes`. */
export function pluralize(singular: string): string {
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`;
  return `${singular}s`;
}

/**
 * The CRD object.
 *
 * @throws UsageError for a group without a dot, a kind not in CamelCase, or bad names.
 */
export function crdManifest(options: CrdOptions): KubernetesObject {
  const { group, kind } = options;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(group)) {
    throw new UsageError(`--group ${JSON.stringify(group)} is not a DNS name with a dot, e.g. kopf.dev.`);
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    throw new UsageError(`--kind ${JSON.stringify(kind)} is not a CamelCase kind, e.g. KopfExample.`);
  }
  const version = options.version ?? 'v1';
  const singular = options.singular ?? kind.toLowerCase();
  const plural = options.plural ?? pluralize(singular);
  for (const [option, value] of [
    ['version', version],
    ['plural', plural],
    ['singular', singular],
  ] as const) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
      throw new UsageError(
        `--${option} ${JSON.stringify(value)} must be lower-case letters, digits and dashes.`,
      );
    }
  }
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const shortNames = options.shortNames?.length ? { shortNames: [...options.shortNames] } : {};
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: options.namespaced === false ? 'Cluster' : 'Namespaced',
      names: { kind, plural, singular, ...shortNames },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: open, status: open } } },
        },
      ],
    },
  };
}
