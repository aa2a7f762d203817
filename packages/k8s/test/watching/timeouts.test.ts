/**
 * The client-side timeouts of watch requests (Kopf's `watching.client_timeout` and
 * `watching.connect_timeout`, and `networking.connect_timeout` for all requests):
 * a watch request that has lived for `clientTimeout` ends and resumes where it stopped,
 * with no event lost or repeated; a server that never accepts the connection fails the
 * attempt after `connectTimeout` instead of hanging until the inactivity timeout.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiClient, createObject, type WatchRestartReason } from '@kopf/k8s';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createKopfExampleCrd,
  describeEvent,
  eventually,
  KOPFEXAMPLES,
  kopfExample,
  startCluster,
  startWatching,
} from '../support.js';

describe('clientTimeout', () => {
  it('ends each watch request after that long and resumes from the last resourceVersion', async () => {
    const { server, client } = await startCluster();
    await createKopfExampleCrd(client);
    const restarts: string[] = [];
    const watcher = startWatching(client, KOPFEXAMPLES, {
      clientTimeout: 0.4,
      reconnectBackoff: 0.01,
      onRestart: (reason, details) => restarts.push(`${reason} ${details.resourceVersion === undefined}`),
    });
    await watcher.waitFor((event) => event.type === 'SYNCED');
    const watchesAtStart = server.counters.get({ verb: 'watch', resource: 'kopfexamples' });

    const written: string[] = [];
    for (let i = 0; i < 8; i++) {
      const created = await createObject(client, KOPFEXAMPLES, kopfExample(`obj-${i}`));
      written.push(`ADDED obj-${i}@${created?.metadata?.resourceVersion}`);
      await sleep(200);
    }

    await eventually(() => restarts.length >= 3);
    await eventually(() => watcher.events.filter((event) => event.type === 'ADDED').length >= 8);
    const seen = watcher.events.filter((event) => event.type === 'ADDED').map(describeEvent);
    expect(seen).toEqual(written);
    expect(watcher.events.filter((event) => event.type === 'SYNCED')).toHaveLength(1);
    expect(restarts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(restarts)).toEqual(new Set(['closed false'])); // resumed every time, never re-listed
    expect(
      server.counters.get({ verb: 'watch', resource: 'kopfexamples' }) - watchesAtStart,
    ).toBeGreaterThanOrEqual(3);
  });
});

describe('connectTimeout', () => {
  /** Watches a server whose accept queue is full, so that every connection attempt hangs. */
  async function watchUnreachable(options: { client?: number; watch?: number }) {
    const port = await startUnacceptingListener();
    const client = await createApiClient({
      connection: { server: `https://127.0.0.1:${port}`, token: 'unused', insecure: true },
      errorBackoffs: [],
      ...(options.client !== undefined ? { connectTimeout: options.client } : {}),
    });
    onTestFinished(() => client.close());
    const restarts: { reason: WatchRestartReason; error: unknown; at: number }[] = [];
    const started = performance.now();
    startWatching(client, KOPFEXAMPLES, {
      watchList: true, // the first request is the watch itself
      inactivityTimeout: 60,
      errorBackoff: { initial: 0.05, max: 0.05 },
      ...(options.watch !== undefined ? { connectTimeout: options.watch } : {}),
      onRestart: (reason, details) =>
        restarts.push({ reason, error: details.error, at: performance.now() - started }),
    });
    return restarts;
  }

  it('of the watch fails a connection that is never accepted, and the watch retries', async () => {
    const restarts = await watchUnreachable({ watch: 0.3 });
    await eventually(() => restarts.length >= 2);
    expect(restarts[0]?.reason).toBe('error');
    expect(String(restarts[0]?.error)).toContain('no connection within 0.3 s');
    expect(restarts[0]?.at).toBeGreaterThanOrEqual(250);
    expect(restarts[0]?.at).toBeLessThan(5_000);
  });

  it('of the client applies to watches when the watch has none of its own', async () => {
    const restarts = await watchUnreachable({ client: 0.3 });
    await eventually(() => restarts.length >= 1);
    expect(restarts[0]?.reason).toBe('error');
    expect(String(restarts[0]?.error)).toContain('no connection within 0.3 s');
  });

  it('of the watch wins over the client’s', async () => {
    const restarts = await watchUnreachable({ client: 30, watch: 0.2 });
    await eventually(() => restarts.length >= 1);
    expect(String(restarts[0]?.error)).toContain('no connection within 0.2 s');
  });
});

/**
 * A TCP port that never accepts: a child process listens with a backlog of 1 and blocks
 * its event loop; a few connections fill the kernel's accept queue, after which every new
 * connection attempt waits for an answer that never comes (its SYN is dropped).
 */
async function startUnacceptingListener(): Promise<number> {
  const script = `
    const server = require('node:net').createServer();
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      process.stdout.write(server.address().port + '\\n');
      setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 50);
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const fillers: Socket[] = [];
  onTestFinished(() => {
    for (const socket of fillers) socket.destroy();
    child.kill('SIGKILL');
  });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  await sleep(200); // the child's event loop is blocked by now
  // Fill the accept queue (its size varies with the kernel) until a connection stays pending.
  for (let i = 0; i < 16; i++) {
    const socket = connect(port, '127.0.0.1');
    fillers.push(socket);
    const connected = once(socket, 'connect').then(() => true);
    if (!(await Promise.race([connected, sleep(300).then(() => false)]))) return port;
  }
  throw new Error('The accept queue never filled up: connections to a blocked listener keep succeeding.');
}
