import { discoverResources, getObject, type HttpClient } from '@kopf/k8s';
import { detectIdentity, readPeers, selectPeeringResource, writePeer } from '@kopf/reactor';

export async function listPeers(client: HttpClient): Promise<void> {
  const resource = selectPeeringResource(await discoverResources(client), true); // ClusterKopfPeering
  if (!resource) throw new Error('Apply the peering CRDs first.');
  const body = await getObject(client, resource, { name: 'default' });
  for (const peer of readPeers(body ?? {}, Date.now())) {
    const alive = peer.deadline > Date.now();
    console.log(
      `${peer.identity}: priority ${peer.priority}, last seen ${peer.lastseen}, ${alive ? 'alive' : 'dead'}`,
    );
  }
  // Remove a record by hand (what `kopf resume` does for its own identity):
  const target = { resource, namespace: undefined, name: 'default' };
  await writePeer(client, target, detectIdentity({ manual: true }), null);
}
