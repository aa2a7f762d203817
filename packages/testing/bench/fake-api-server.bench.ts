/**
 * The fake API server's throughput and footprint, each against a baseline measured in
 * the same run over the same HTTPS setup (same certificate, same keep-alive agent):
 *
 * - writes/s: POSTs of ConfigMaps with 8 in flight; the baseline is a bare Node HTTPS
 *   server that parses each body and echoes it back with a resourceVersion;
 * - watch events/s delivered to 10 concurrent watchers while writes go on; the baseline
 *   server broadcasts each POSTed body as a watch line to 10 open streams;
 * - heap bytes per stored object; the baseline is the same objects parsed into an array;
 * - the cost of persistence: writes/s of a server with `persistTo` (write-ahead log
 *   fsync'd before each answer, group-committed) against the in-memory fake above.
 *
 * Run: `npm run bench -- fake-api-server`. Figures go to `$KOPF_BENCH_OUTPUT` as JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServerPki } from '../src/fake-api-server/certificates.js';
import { FakeApiServer } from '../src/fake-api-server/server.js';

const WRITES = 3000;
const IN_FLIGHT = 8;
const WATCHERS = 10;
const WATCHED_WRITES = 1500;
const STORED = 5000;

interface Target {
  readonly url: string;
  readonly ca: string;
  readonly token: string;
}

function body(index: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${index}`, labels: { app: 'bench' } },
    data: { index: String(index), text: 'x'.repeat(100) },
  });
}

function post(target: Target, agent: Agent, path: string, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, target.url),
      {
        method: 'POST',
        agent,
        ca: target.ca,
        headers: {
          Authorization: `Bearer ${target.token}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function writeMany(target: Target, namespace: string, count: number, offset = 0): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT, ca: target.ca });
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = offset + next++;
      const status = await post(target, agent, `/api/v1/namespaces/${namespace}/configmaps`, body(index));
      if (status !== 201) throw new Error(`POST cm-${index} answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  agent.destroy();
  return performance.now() - started;
}

/** Opens `count` watches; resolves when each has seen `events` lines. */
async function watchAll(
  target: Target,
  path: string,
  count: number,
  events: number,
): Promise<{ done: Promise<void> }> {
  const agent = new Agent({ keepAlive: false, ca: target.ca, maxSockets: count });
  const connected: Promise<void>[] = [];
  const finished: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    let markDone: () => void = () => undefined;
    finished.push(
      new Promise<void>((resolve) => {
        markDone = resolve;
      }),
    );
    connected.push(
      new Promise<void>((resolve, reject) => {
        const req = request(
          new URL(path, target.url),
          { agent, ca: target.ca, headers: { Authorization: `Bearer ${target.token}` } },
          (res) => {
            resolve();
            let seen = 0;
            res.on('data', (chunk: Buffer) => {
              for (const byte of chunk) if (byte === 10) seen += 1;
              if (seen >= events) {
                markDone();
                req.destroy();
              }
            });
          },
        );
        req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
        req.end();
      }),
    );
  }
  await Promise.all(connected);
  return { done: Promise.all(finished).then(() => agent.destroy()) };
}

/** The baseline: a bare HTTPS server that echoes POSTs and broadcasts them to open watches. */
async function startBaseline(cert: string, key: string): Promise<{ server: Server; target: Target }> {
  const streams = new Set<import('node:http').ServerResponse>();
  let revision = 0;
  const server = createServer({ cert, key }, (req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const object = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        metadata: Record<string, unknown>;
      };
      revision += 1;
      object.metadata.resourceVersion = String(revision);
      const text = JSON.stringify(object);
      const line = `{"type":"ADDED","object":${text}}\n`;
      for (const stream of streams) stream.write(line);
      res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, target: { url: `https://127.0.0.1:${port}`, ca: '', token: 't' } };
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

// --- the fake
const fake = await FakeApiServer.start({ namespaces: ['bench', 'watched', 'stored'], bookmarkInterval: 0 });
const fakeTarget: Target = { url: fake.url, ca: fake.caData, token: fake.token };
const fakeWrites = await writeMany(fakeTarget, 'bench', WRITES);
const fakeWatches = await watchAll(
  fakeTarget,
  '/api/v1/namespaces/watched/configmaps?watch=true',
  WATCHERS,
  WATCHED_WRITES,
);
const fakeWatchStarted = performance.now();
await writeMany(fakeTarget, 'watched', WATCHED_WRITES);
await fakeWatches.done;
const fakeWatchMs = performance.now() - fakeWatchStarted;

const beforeStore = heapUsed();
await writeMany(fakeTarget, 'stored', STORED);
const fakeBytesPerObject = (heapUsed() - beforeStore) / STORED;

// --- the baseline, with a certificate of the same kind so TLS costs the same
const pki = await generateServerPki([]);
const baseline = await startBaseline(pki.server.certPem, pki.server.keyPem);
const baseTarget: Target = { ...baseline.target, ca: pki.ca.certPem };
const baseWrites = await writeMany(baseTarget, 'bench', WRITES);
const baseWatches = await watchAll(baseTarget, '/watch', WATCHERS, WATCHED_WRITES);
const baseWatchStarted = performance.now();
await writeMany(baseTarget, 'watched', WATCHED_WRITES);
await baseWatches.done;
const baseWatchMs = performance.now() - baseWatchStarted;
const beforeArray = heapUsed();
const kept = Array.from({ length: STORED }, (_, index) => JSON.parse(body(index)) as unknown);
const baseBytesPerObject = (heapUsed() - beforeArray) / kept.length;

await fake.stop();

// --- persistence: warm in-memory and persistent servers, alternating, best of each
async function serverWrites(persistTo?: string): Promise<number> {
  const server = await FakeApiServer.start({
    namespaces: ['bench'],
    bookmarkInterval: 0,
    ...(persistTo ? { persistTo } : {}),
  });
  const elapsed = await writeMany(
    { url: server.url, ca: server.caData, token: server.token },
    'bench',
    WRITES,
  );
  await server.stop();
  return (WRITES / elapsed) * 1000;
}
const inMemoryRounds: number[] = [];
const persistentRounds: number[] = [];
for (let round = 0; round < 2; round += 1) {
  inMemoryRounds.push(await serverWrites());
  const directory = mkdtempSync(join(tmpdir(), 'kopf-bench-persist-'));
  persistentRounds.push(await serverWrites(directory));
  rmSync(directory, { recursive: true, force: true });
}

baseline.server.closeAllConnections();
baseline.server.close();

const writesPerSecond = { fake: (WRITES / fakeWrites) * 1000, baseline: (WRITES / baseWrites) * 1000 };
const persistentPerSecond = Math.max(...persistentRounds);
const inMemoryPerSecond = Math.max(...inMemoryRounds);
const eventsPerSecond = {
  fake: ((WATCHERS * WATCHED_WRITES) / fakeWatchMs) * 1000,
  baseline: ((WATCHERS * WATCHED_WRITES) / baseWatchMs) * 1000,
};
console.log('measure                               fake     baseline   fake/baseline');
const row = (name: string, mine: number, base: number): void =>
  console.log(
    `${name.padEnd(34)} ${mine.toFixed(0).padStart(8)} ${base.toFixed(0).padStart(12)} ${(mine / base).toFixed(2).padStart(12)}`,
  );
row(`writes/s (${IN_FLIGHT} in flight)`, writesPerSecond.fake, writesPerSecond.baseline);
row(`watch events/s (${WATCHERS} watchers)`, eventsPerSecond.fake, eventsPerSecond.baseline);
row('heap bytes per stored object', fakeBytesPerObject, baseBytesPerObject);
console.log('measure                          persistent    in-memory   persistent/in-memory');
row(`writes/s with persistTo (${IN_FLIGHT} in flight)`, persistentPerSecond, inMemoryPerSecond);

const output = process.env.KOPF_BENCH_OUTPUT;
if (output) {
  writeFileSync(
    output,
    JSON.stringify(
      {
        writesPerSecond: { ...writesPerSecond, writes: WRITES, inFlight: IN_FLIGHT },
        watchEventsPerSecond: { ...eventsPerSecond, watchers: WATCHERS, writes: WATCHED_WRITES },
        heapBytesPerObject: { fake: fakeBytesPerObject, baseline: baseBytesPerObject, objects: STORED },
        persistentWritesPerSecond: {
          persistent: persistentPerSecond,
          inMemory: inMemoryPerSecond,
          writes: WRITES,
        },
      },
      null,
      2,
    ),
  );
}
