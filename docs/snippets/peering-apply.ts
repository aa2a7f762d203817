import { readFile } from 'node:fs/promises';
import { PEERING_YAML, peeringResources } from '@kopf/reactor';
import type { Cluster } from '@kopf/testing';

export async function applyPeering(cluster: Cluster): Promise<void> {
  // The CRDs of ClusterKopfPeering and KopfPeering, and the `default` objects of both:
  await cluster.apply(peeringResources());
  // The same as YAML, shipped with the package (node_modules/@kopf/reactor/peering.yaml):
  console.log(await readFile(PEERING_YAML, 'utf8'));
}
