import {
  createApiClient,
  matchNamespace,
  matchNamespacePattern,
  observeNamespaces,
  specificNamespaces,
} from '@kopf/k8s';

const patterns = ['myapp-*, !*-pr-*, *-pr-123'];
matchNamespace(patterns, 'myapp-live'); // true
matchNamespace(patterns, 'myapp-pr-456'); // false: excluded
matchNamespace(patterns, 'myapp-pr-123'); // true: restored by the last glob
matchNamespace(patterns, 'otherapp-pr-123'); // false: the first glob decides
matchNamespacePattern('!kube-*', 'default'); // true: a leading negation starts from "*"
specificNamespaces(['default', 'team-*']); // ['default']: what is served when namespaces cannot be listed

// The matching namespaces now, and again whenever the set changes:
const client = await createApiClient();
const controller = new AbortController();
for await (const namespaces of observeNamespaces(client, patterns, { signal: controller.signal })) {
  console.log('serving', namespaces);
  controller.abort();
}
client.close();
