/**
 * The transport of @kopf/k8s against client-node 1.4.0 (the baseline, measured in
 * the same run, on the same local HTTP server):
 *
 * - sequential GETs: wall time and how many TCP connections the server saw
 *   (client-node builds an agent per request: one connection each; we keep one);
 * - a watch stream of many events: how fast the events are parsed and delivered.
 *
 * Run: `npm run bench -- transport`. Figures go to `$KOPF_BENCH_OUTPUT` as JSON.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { createApiClient } from '../src/index.js';

const REQUESTS = 300;
const EVENTS = 20_000;

const configMapList = JSON.stringify({
  kind: 'ConfigMapList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '1' },
  items: [{ metadata: { name: 'cm', namespace: 'default', resourceVersion: '1' }, data: { a: 'b' } }],
});
const watchLines = Array.from(
  { length: EVENTS },
  (_, i) =>
    `${JSON.stringify({ type: 'MODIFIED', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: `cm-${i % 100}`, namespace: 'default', uid: `u-${i % 100}`, resourceVersion: String(i + 2) }, data: { i: String(i) } } })}\n`,
).join('');

let connections = 0;
const server = createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  if (req.url?.includes('watch=true')) res.end(watchLines);
  else res.end(configMapList);
});
server.on('connection', () => {
  connections++;
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function measure(run: () => Promise<void>): Promise<{ ms: number; connections: number }> {
  const before = connections;
  const started = performance.now();
  await run();
  return { ms: performance.now() - started, connections: connections - before };
}

// --- ours
const ours = await createApiClient({ connection: { server: url, token: 't' } });
const oursRequests = await measure(async () => {
  for (let i = 0; i < REQUESTS; i++) {
    await ours.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps' });
  }
});
let oursEvents = 0;
const oursWatch = await measure(async () => {
  const stream = await ours.stream({
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps',
    query: { watch: true },
  });
  for await (const _ of stream) oursEvents++;
});
ours.close();

// --- baseline: client-node 1.4.0
const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
  users: [{ name: 'u', token: 't' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
});
const core = kc.makeApiClient(CoreV1Api);
const baseRequests = await measure(async () => {
  for (let i = 0; i < REQUESTS; i++) await core.listNamespacedConfigMap({ namespace: 'default' });
});
let baseEvents = 0;
const baseWatch = await measure(
  () =>
    new Promise<void>((resolve, reject) => {
      void new Watch(kc).watch(
        '/api/v1/namespaces/default/configmaps',
        {},
        () => {
          baseEvents++;
        },
        (error) => (error ? reject(error) : resolve()),
      );
    }),
);
server.closeAllConnections();
server.close();

const rows = [
  [
    'sequential GETs',
    `${REQUESTS}`,
    oursRequests.ms,
    baseRequests.ms,
    oursRequests.connections,
    baseRequests.connections,
  ],
  [
    'watch events',
    `${oursEvents}/${baseEvents}`,
    oursWatch.ms,
    baseWatch.ms,
    oursWatch.connections,
    baseWatch.connections,
  ],
] as const;
console.log('case             count        ours ms   client-node ms   ratio   connections ours/client-node');
for (const [name, count, mine, base, myConnections, baseConnections] of rows) {
  console.log(
    `${name.padEnd(16)} ${count.padEnd(12)} ${mine.toFixed(0).padStart(7)} ${base.toFixed(0).padStart(16)} ${(base / mine).toFixed(2).padStart(7)}x   ${myConnections}/${baseConnections}`,
  );
}
const output = process.env.KOPF_BENCH_OUTPUT;
if (output) {
  writeFileSync(
    output,
    JSON.stringify(
      {
        requests: {
          count: REQUESTS,
          oursMs: oursRequests.ms,
          clientNodeMs: baseRequests.ms,
          oursConnections: oursRequests.connections,
          clientNodeConnections: baseRequests.connections,
        },
        watch: {
          events: EVENTS,
          oursMs: oursWatch.ms,
          clientNodeMs: baseWatch.ms,
          oursDelivered: oursEvents,
          clientNodeDelivered: baseEvents,
        },
      },
      null,
      2,
    ),
  );
}
