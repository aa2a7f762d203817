import { FakeApiServer } from '@kopf/testing';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

const server = await FakeApiServer.start(); // https://127.0.0.1:<a free port>, a fresh CA and token
try {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
  console.log(namespaces.items.map((ns) => ns.metadata?.name)); // default, kube-system, kube-public, kube-node-lease
} finally {
  await server.stop(); // closes every connection, watches included
}
