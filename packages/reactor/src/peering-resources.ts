/**
 * The peering resources and the commands on them: which discovered resource holds
 * the peering objects (`kopfpeerings.kopf.dev` per namespace,
 * `clusterkopfpeerings.kopf.dev` cluster-wide; the legacy `zalando.org` group is
 * recognised too), the CRDs to apply (also shipped as `@kopf/reactor/peering.yaml`),
 * and what `kopf freeze` / `kopf resume` do: write or remove a manual peer record
 * with a priority and a lifetime, which pauses every operator of lower priority.
 */
import { KopfError, type KubernetesObject, type Resource } from '@kopf/core';
import { type ApiClient, discoverResources } from '@kopf/k8s';
import { detectIdentity, peerRecord, writePeer } from './peering.js';

/** The peering resource needed is not served (its CRD is not applied). */
export class PeeringResourceError extends KopfError {
  override name = 'PeeringResourceError';
}

const GROUPS = ['kopf.dev', 'zalando.org'];

/** The resource holding the peering objects for a cluster-wide or a namespaced operator, if served. */
export function selectPeeringResource(
  resources: readonly Resource[],
  clusterwide: boolean,
): Resource | undefined {
  const plural = clusterwide ? 'clusterkopfpeerings' : 'kopfpeerings';
  for (const group of GROUPS) {
    const found = resources.find((resource) => resource.group === group && resource.plural === plural);
    if (found) return found;
  }
  return undefined;
}

/** The URL of the YAML with the peering CRDs and the `default` peering objects. */
export const PEERING_YAML: URL = new URL('../peering.yaml', import.meta.url);

function crd(scope: 'Cluster' | 'Namespaced', kind: string, plural: string): KubernetesObject {
  const schema = {
    type: 'object',
    properties: { status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.kopf.dev` },
    spec: {
      scope,
      group: 'kopf.dev',
      names: { kind, plural, singular: plural.slice(0, -1) },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  };
}

/**
 * The peering CRDs and the `default` peering objects (cluster-wide, and in the
 * `default` namespace), as in `peering.yaml`: apply them to enable peering.
 *
 * @example
 * await new Cluster(client).apply(peeringResources());
 */
export function peeringResources(): KubernetesObject[] {
  return [
    crd('Cluster', 'ClusterKopfPeering', 'clusterkopfpeerings'),
    crd('Namespaced', 'KopfPeering', 'kopfpeerings'),
    { apiVersion: 'kopf.dev/v1', kind: 'ClusterKopfPeering', metadata: { name: 'default' } },
    { apiVersion: 'kopf.dev/v1', kind: 'KopfPeering', metadata: { namespace: 'default', name: 'default' } },
  ];
}

/** Options of {@link freezeOperators} and {@link resumeOperators}. */
export interface PeeringCommandOptions {
  /** The peering object's name (`--peering`). */
  readonly peering: string;
  /** The namespaces of namespaced operators (`-n`); omitted: the cluster-wide peering (`-A`). */
  readonly namespaces?: readonly string[] | undefined;
  /** The record's identity; default `user@host`. */
  readonly identity?: string | undefined;
}

/** Options of {@link freezeOperators}. */
export interface FreezeOptions extends PeeringCommandOptions {
  /** Seconds the freeze lasts (`--lifetime`). */
  readonly lifetime: number;
  /** Default 100 (`--priority`); operators below it pause. */
  readonly priority?: number | undefined;
}

async function peeringTargets(client: ApiClient, options: PeeringCommandOptions) {
  const clusterwide = options.namespaces === undefined;
  const resource = selectPeeringResource(await discoverResources(client), clusterwide);
  if (!resource) {
    const kind = clusterwide ? 'ClusterKopfPeering' : 'KopfPeering';
    throw new PeeringResourceError(
      `Finding the peering resource failed: ${kind} (kopf.dev) is not served by ${client.server}. ` +
        'Apply the peering CRDs first (@kopf/reactor/peering.yaml).',
    );
  }
  const namespaces = clusterwide ? [undefined] : (options.namespaces ?? []);
  return namespaces.map((namespace) => ({ resource, namespace, name: options.peering }));
}

/**
 * Pauses the operators of a peering for `lifetime` seconds (`kopf freeze`): writes
 * a record with a high priority (default 100) under this identity.
 *
 * @throws PeeringResourceError when the peering CRD is not applied.
 * @example
 * await freezeOperators(client, { peering: 'default', lifetime: 600 });
 */
export async function freezeOperators(client: ApiClient, options: FreezeOptions): Promise<void> {
  const identity = options.identity ?? detectIdentity({ manual: true });
  const record = peerRecord(options.priority ?? 100, options.lifetime, Date.now());
  for (const target of await peeringTargets(client, options))
    await writePeer(client, target, identity, record);
}

/**
 * Lifts a freeze (`kopf resume`): removes this identity's record.
 *
 * @throws PeeringResourceError when the peering CRD is not applied.
 * @example
 * await resumeOperators(client, { peering: 'default' });
 */
export async function resumeOperators(client: ApiClient, options: PeeringCommandOptions): Promise<void> {
  const identity = options.identity ?? detectIdentity({ manual: true });
  for (const target of await peeringTargets(client, options)) await writePeer(client, target, identity, null);
}
