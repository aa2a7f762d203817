import { FakeApiServer } from '@kopf/testing';

// Objects, resource versions, CRDs, the watch history, the token and the CA survive a restart:
const first = await FakeApiServer.start({ persistTo: '/tmp/fake-cluster', port: 6443 });
await first.writeKubeconfig('/tmp/fake-kubeconfig');
await first.stop();

const second = await FakeApiServer.start({ persistTo: '/tmp/fake-cluster', port: 6443 });
// The kubeconfig written before still works: same CA, same token, same objects.
await second.stop();
