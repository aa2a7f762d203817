import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeApiServer } from '@kopf/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, kopfExample, kopfExampleCrd, openWatch, raw, summary, text } from './support.js';

const CM = '/api/v1/namespaces/default/configmaps';
const KEX = '/apis/kopf.dev/v1/namespaces/default/kopfexamples';
const CHILD = fileURLToPath(new URL('./fixtures/persistent-server.ts', import.meta.url));

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kopf-fake-persist-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('persistence across a clean restart', () => {
  it('keeps objects, resource versions, CRDs (discovery), the token, the CA and the watch history', async () => {
    const first = await FakeApiServer.start({ persistTo: directory });
    expect(
      (
        await raw(first, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
          method: 'POST',
          body: kopfExampleCrd(),
        })
      ).status,
    ).toBe(201);
    const created = (await raw(first, KEX, { method: 'POST', body: kopfExample('kept') })).json();
    const rv = text(created, 'metadata', 'resourceVersion');
    await raw(first, `${KEX}/kept`, {
      method: 'PATCH',
      body: { spec: { field: 'changed' } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    const { token, caData } = first;
    await first.stop();

    const second = await FakeApiServer.start({ persistTo: directory });
    try {
      expect(second.token).toBe(token);
      expect(second.caData).toBe(caData);
      const kept = (await raw(second, `${KEX}/kept`)).json();
      expect(kept).toMatchObject({
        spec: { field: 'changed' },
        metadata: { uid: text(created, 'metadata', 'uid') },
      });
      expect(at((await raw(second, '/apis/kopf.dev/v1')).json(), 'resources', 0, 'name')).toBe(
        'kopfexamples',
      );
      const watch = await openWatch(second, `${KEX}?watch=true&resourceVersion=${rv}`);
      const [modified] = await watch.until(1);
      expect(summary([modified ?? {}])).toEqual(['MODIFIED kept']);
      watch.close();
      const next = (await raw(second, CM, { method: 'POST', body: { metadata: { name: 'after' } } })).json();
      expect(Number(text(next, 'metadata', 'resourceVersion'))).toBeGreaterThan(Number(rv) + 1);
    } finally {
      await second.stop();
    }
  });

  it('refuses a second server on the same directory while the first runs', async () => {
    const first = await FakeApiServer.start({ persistTo: directory });
    await expect(FakeApiServer.start({ persistTo: directory })).rejects.toThrow(
      /another fake API server in this process persists to it/,
    );
    await first.stop();
    const second = await FakeApiServer.start({ persistTo: directory });
    await second.stop();
  });
});

/** A server in a child process (so it can be SIGKILLed), with what its line told. */
interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  readonly token: string;
  readonly ca: string;
}

function startChild(): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, directory], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SLOW_DISK_MS: '15' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline >= 0) resolve({ process: child, ...JSON.parse(output.slice(0, newline)) });
    });
    child.on('exit', (code) =>
      reject(new Error(`the server process exited (${code}) before it listened: ${errors}`)),
    );
  });
}

/** POSTs a ConfigMap; resolves with its resourceVersion once acknowledged, or `undefined` if cut off. */
function post(child: Child, agent: Agent, name: string): Promise<string | undefined> {
  const body = JSON.stringify({ metadata: { name }, data: { index: name } });
  return new Promise((resolve) => {
    const req = request(
      new URL(CM, child.url),
      {
        method: 'POST',
        agent,
        headers: {
          Authorization: `Bearer ${child.token}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 201) return resolve(undefined);
          resolve(text(JSON.parse(Buffer.concat(chunks).toString()), 'metadata', 'resourceVersion'));
        });
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('error', () => resolve(undefined));
    req.end(body);
  });
}

/** Collects the `name → resourceVersion` of the ADDED events a watch on the child's ConfigMaps sees. */
function watchChild(child: Child): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(`${CM}?watch=true&resourceVersion=1`, child.url),
      { ca: child.ca, headers: { Authorization: `Bearer ${child.token}` } },
      (res) => {
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines.filter(Boolean)) {
            const event = JSON.parse(line);
            if (event.type === 'ADDED')
              seen.set(
                text(event, 'object', 'metadata', 'name'),
                text(event, 'object', 'metadata', 'resourceVersion'),
              );
          }
        });
        res.on('error', () => undefined);
        resolve(seen);
      },
    );
    req.on('error', () => undefined);
    req.on('response', () => undefined);
    req.end();
    setTimeout(() => reject(new Error('the watch did not start')), 10_000).unref();
  });
}

describe('persistence across a crash', () => {
  it('loses nothing acknowledged when SIGKILLed right after a burst of writes (slow disk); watches resume', async () => {
    const child = await startChild();
    const exited = new Promise<void>((resolve) => child.process.on('exit', () => resolve()));
    const watched = await watchChild(child);
    const agent = new Agent({ ca: child.ca, keepAlive: true, maxSockets: 16 });
    const acknowledged = new Map<string, string>();
    // 400 writes, 16 at a time; the 300th acknowledgement kills the server with the rest in flight.
    const writes = Array.from({ length: 400 }, (_, index) => `burst-${index}`);
    await Promise.all(
      writes.map(async (name) => {
        const rv = await post(child, agent, name);
        if (!rv || acknowledged.size >= 300) return;
        acknowledged.set(name, rv);
        if (acknowledged.size === 300) child.process.kill('SIGKILL');
      }),
    );
    await exited;
    agent.destroy();
    expect(acknowledged.size).toBe(300);

    const restarted = await FakeApiServer.start({ persistTo: directory });
    try {
      const items = (await raw(restarted, CM)).json().items as {
        metadata: { name: string; resourceVersion: string };
      }[];
      const found = new Map(items.map((item) => [item.metadata.name, item.metadata.resourceVersion]));
      for (const [name, rv] of acknowledged) expect(found.get(name), name).toBe(rv);
      expect(watched.size).toBeGreaterThan(0);
      for (const [name, rv] of watched) expect(found.get(name), `watched ${name}`).toBe(rv);
      const versions = [...acknowledged.values()].map(Number).sort((a, b) => a - b);
      const first = versions[0] as number;
      const last = versions[versions.length - 1] as number;
      const resumed = await openWatch(restarted, `${CM}?watch=true&resourceVersion=${first}`);
      expect(resumed.status).toBe(200);
      const events = await resumed.until(versions.length - 1);
      expect(events.every((event) => event.type !== 'ERROR')).toBe(true);
      expect(
        events
          .slice(0, versions.length - 1)
          .map((event) => Number(text(event, 'object', 'metadata', 'resourceVersion'))),
      ).toEqual(versions.slice(1));
      resumed.close();
      const next = (
        await raw(restarted, CM, { method: 'POST', body: { metadata: { name: 'after-crash' } } })
      ).json();
      expect(Number(text(next, 'metadata', 'resourceVersion'))).toBeGreaterThan(last);
    } finally {
      await restarted.stop();
    }
  }, 60_000);
});
