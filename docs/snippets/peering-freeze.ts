import { createApiClient } from '@kopf/k8s';
import { freezeOperators, resumeOperators } from '@kopf/reactor';

const client = await createApiClient();
// Pause every operator of the peering `default` below priority 100 for ten minutes (kopf freeze):
await freezeOperators(client, { peering: 'default', lifetime: 600 });
// … maintenance …
await resumeOperators(client, { peering: 'default' }); // kopf resume
// Namespaced operators: their KopfPeering objects in these namespaces.
await freezeOperators(client, { peering: 'default', lifetime: 60, priority: 1000, namespaces: ['team-a'] });
client.close();
