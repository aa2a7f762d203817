import { createApiClient, discoverResources, resolveResources, watchObjects } from '@kopf/k8s';

const client = await createApiClient(); // $KUBECONFIG, ~/.kube/config, or the pod's service account
const [resource] = resolveResources(await discoverResources(client), { name: 'kopfexamples' });
if (!resource) throw new Error('kopfexamples are not served.');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

// List, then watch with bookmarks; resumes, re-lists on 410, restarts silent streams, backs off.
for await (const event of watchObjects(client, resource, {
  signal: controller.signal,
  namespace: 'default',
})) {
  if (event.type === 'SYNCED') console.log('in sync at', event.resourceVersion);
  else console.log(event.type, event.object.metadata?.name); // LISTED, ADDED, MODIFIED, DELETED
}
client.close();
