/**
 * The objects every cluster starts with, created through the ordinary write pipeline
 * unless a restart (persistence) finds them already: the system namespaces and any
 * extra ones, the `default/kubernetes` Service, and the bootstrap RBAC policy.
 */

import { bootstrapPolicy } from './rbac-kinds.js';
import type { ResourceRegistry } from './registry.js';
import { createObject, type WriteContext } from './writing.js';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const APISERVER = { dryRun: false, fieldManager: 'kube-apiserver' } as const;

/** The `default/kubernetes` Service every cluster has, pointing at the API server. */
async function createKubernetesService(context: WriteContext, registry: ResourceRegistry): Promise<void> {
  const type = registry.lookup('', 'v1', 'services');
  if (!type || context.store.get(type.storage, 'default/kubernetes')) return;
  const spec = {
    type: 'ClusterIP',
    clusterIP: '10.96.0.1',
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
  };
  await createObject(
    context,
    type,
    'default',
    { metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } }, spec },
    APISERVER,
  );
}

/** The bootstrap ClusterRoles and bindings every cluster has (unless a restart finds them). */
async function createBootstrapPolicy(context: WriteContext, registry: ResourceRegistry): Promise<void> {
  const policy = bootstrapPolicy();
  const kinds = [
    ['clusterroles', policy.clusterRoles],
    ['clusterrolebindings', policy.clusterRoleBindings],
  ] as const;
  for (const [plural, objects] of kinds) {
    const type = registry.lookup('rbac.authorization.k8s.io', 'v1', plural);
    if (!type) continue;
    for (const object of objects) {
      const name = String((object.metadata as { name: string }).name);
      if (context.store.get(type.storage, name)) continue;
      await createObject(context, type, '', object, APISERVER);
    }
  }
}

/** The namespaces (system ones first), and the rest of what a fresh cluster has. */
export async function bootstrapCluster(
  context: WriteContext,
  registry: ResourceRegistry,
  namespaces: readonly string[],
): Promise<void> {
  const type = registry.lookup('', 'v1', 'namespaces');
  for (const name of [...SYSTEM_NAMESPACES, ...namespaces]) {
    if (type && !context.store.get(type.storage, name))
      await createObject(context, type, '', { metadata: { name } }, APISERVER);
  }
  await createKubernetesService(context, registry);
  await createBootstrapPolicy(context, registry);
}
