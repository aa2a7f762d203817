import { Operator } from '@kopf/reactor';

// Serve team namespaces, but not team-x, plus exactly "shared-2024" or "shared-2025":
const operator = new Operator({ namespaces: ['team-*, !team-x', /shared-20(24|25)/] });
await operator.start();

// Without `namespaces`, the whole cluster is served (kopf run -A).
const clusterwide = new Operator();
await clusterwide.start();
