import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, eventually, openWatch, raw, summary, text } from './support.js';

let server: FakeApiServer;
let counter = 0;

beforeAll(async () => {
  server = await FakeApiServer.start({ historySize: 50 });
});

afterAll(async () => {
  await server.stop();
});

/** A fresh namespace per test keeps the tests' watches apart. */
async function namespace(): Promise<string> {
  counter += 1;
  const name = `watch-${counter}`;
  expect(
    (await raw(server, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name } } })).status,
  ).toBe(201);
  return name;
}

async function createMap(ns: string, name: string, labels: Record<string, string> = {}): Promise<string> {
  const response = await raw(server, `/api/v1/namespaces/${ns}/configmaps`, {
    method: 'POST',
    body: { metadata: { name, labels }, data: { v: '1' } },
  });
  expect(response.status).toBe(201);
  return text(response.json(), 'metadata', 'resourceVersion');
}

async function listVersion(ns: string): Promise<string> {
  return text(
    (await raw(server, `/api/v1/namespaces/${ns}/configmaps`)).json(),
    'metadata',
    'resourceVersion',
  );
}

describe('watch', () => {
  it('flushes the headers at once, chunked JSON, even before any event', async () => {
    const ns = await namespace();
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${await listVersion(ns)}`,
    );
    expect(watch.status).toBe(200);
    expect(watch.headers['content-type']).toBe('application/json');
    expect(watch.headers['transfer-encoding']).toBe('chunked');
    expect(watch.events).toEqual([]);
    watch.close();
  });

  it('starts with synthetic ADDED events when the resourceVersion is unset or "0", and streams changes after', async () => {
    const ns = await namespace();
    await createMap(ns, 'a');
    await createMap(ns, 'b');
    for (const query of ['watch=true', 'watch=1&resourceVersion=0']) {
      const watch = await openWatch(server, `/api/v1/namespaces/${ns}/configmaps?${query}`);
      expect(summary(await watch.until(2))).toEqual(['ADDED a', 'ADDED b']);
      watch.close();
    }
  });

  it('starts at the most recent state without synthetic events for sendInitialEvents=false', async () => {
    const ns = await namespace();
    await createMap(ns, 'old');
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&sendInitialEvents=false`,
    );
    await createMap(ns, 'new');
    expect(summary(await watch.until(1))).toEqual(['ADDED new']);
    watch.close();
  });

  it('resumes exactly after a resourceVersion: no synthetic events, every later change in order', async () => {
    const ns = await namespace();
    const rv = await createMap(ns, 'a');
    await raw(server, `/api/v1/namespaces/${ns}/configmaps/a`, {
      method: 'PATCH',
      body: '{"data":{"v":"2"}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    await createMap(ns, 'b');
    await raw(server, `/api/v1/namespaces/${ns}/configmaps/a`, { method: 'DELETE' });
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`,
    );
    const events = await watch.until(3);
    expect(summary(events)).toEqual(['MODIFIED a', 'ADDED b', 'DELETED a']);
    const versions = events.map((event) => Number(text(event, 'object', 'metadata', 'resourceVersion')));
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    watch.close();
  });

  it('answers a too-old resourceVersion with HTTP 200, one ERROR 410 Expired event, and the end of the stream', async () => {
    const ns = await namespace();
    const rv = await createMap(ns, 'a');
    await createMap(ns, 'b');
    server.faults.compactHistory();
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`,
    );
    expect(watch.status).toBe(200);
    await watch.ended;
    expect(watch.events).toHaveLength(1);
    expect(watch.events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 },
    });
    expect(text(watch.events[0], 'object', 'message')).toMatch(
      new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`),
    );
  });

  it('expires resumes beyond the bounded history', async () => {
    const ns = await namespace();
    const rv = await createMap(ns, 'first');
    for (let index = 0; index < 60; index += 1) await createMap(ns, `m-${index}`);
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`,
    );
    await watch.ended;
    expect(summary(watch.events)).toEqual(['ERROR']);
  });

  it('sends bookmarks with only the resourceVersion when allowed, and none otherwise', async () => {
    const ns = await namespace();
    const rv = await listVersion(ns);
    const allowed = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`,
    );
    const plain = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`,
    );
    await createMap(ns, 'a');
    await allowed.until(1);
    server.faults.sendBookmarks();
    const events = await allowed.until(2);
    expect(events[1]).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(await listVersion(ns)) },
      },
    });
    await createMap(ns, 'b');
    expect(summary(await plain.until(2))).toEqual(['ADDED a', 'ADDED b']);
    allowed.close();
    plain.close();
  });

  it('sends bookmarks periodically when configured', async () => {
    const quick = await FakeApiServer.start({ bookmarkInterval: 50 });
    try {
      const watch = await openWatch(
        quick,
        '/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=1',
      );
      expect(summary(await watch.until(2))).toEqual(['BOOKMARK', 'BOOKMARK']);
      watch.close();
    } finally {
      await quick.stop();
    }
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const ns = await namespace();
    const started = Date.now();
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&timeoutSeconds=1&resourceVersion=${await listVersion(ns)}`,
    );
    await watch.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('ends the initial state with the k8s.io/initial-events-end bookmark for sendInitialEvents', async () => {
    const ns = await namespace();
    await createMap(ns, 'a');
    const rv = await listVersion(ns);
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=${rv}`,
    );
    const events = await watch.until(2);
    expect(summary(events)).toEqual(['ADDED a', 'BOOKMARK']);
    expect(at(events[1], 'object', 'metadata', 'annotations')).toEqual({
      'k8s.io/initial-events-end': 'true',
    });
    watch.close();
    const invalid = await raw(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&sendInitialEvents=true`,
    );
    expect(invalid.status).toBe(422);
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    const ns = await namespace();
    await createMap(ns, 'a', { app: 'x' });
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&labelSelector=app%3Dy&resourceVersion=${await listVersion(ns)}`,
    );
    const relabel = (app: string) =>
      raw(server, `/api/v1/namespaces/${ns}/configmaps/a`, {
        method: 'PATCH',
        body: JSON.stringify({ metadata: { labels: { app } } }),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
    await relabel('y');
    await raw(server, `/api/v1/namespaces/${ns}/configmaps/a`, {
      method: 'PATCH',
      body: '{"data":{"v":"2"}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    await relabel('z');
    expect(summary(await watch.until(3))).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    watch.close();
  });

  it('watches one namespace or all of them, also through the legacy /watch/ prefix', async () => {
    const one = await namespace();
    const other = await namespace();
    const rv = await listVersion(one);
    const scoped = await openWatch(
      server,
      `/api/v1/watch/namespaces/${one}/configmaps?resourceVersion=${rv}`,
    );
    const everywhere = await openWatch(server, `/api/v1/configmaps?watch=true&resourceVersion=${rv}`);
    await createMap(other, 'elsewhere');
    await createMap(one, 'here');
    expect(summary(await everywhere.until(2))).toEqual(['ADDED elsewhere', 'ADDED here']);
    expect(summary(await scoped.until(1))).toEqual(['ADDED here']);
    scoped.close();
    everywhere.close();
  });

  it('delivers everything in order to a slow watcher, without holding up writes', async () => {
    const ns = await namespace();
    const watch = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${await listVersion(ns)}`,
    );
    watch.pause();
    const big = 'x'.repeat(64 * 1024);
    for (let index = 0; index < 40; index += 1) {
      const response = await raw(server, `/api/v1/namespaces/${ns}/configmaps`, {
        method: 'POST',
        body: { metadata: { name: `big-${index}` }, data: { big } },
      });
      expect(response.status).toBe(201);
    }
    watch.resume();
    const events = await watch.until(40);
    expect(summary(events)).toEqual(Array.from({ length: 40 }, (_, index) => `ADDED big-${index}`));
    watch.close();
  });

  it('drops, stalls and closes watches on demand', async () => {
    const ns = await namespace();
    const rv = await listVersion(ns);
    const dropped = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`,
    );
    expect(server.faults.dropWatches({ namespace: ns })).toBe(1);
    await dropped.ended;
    const stalled = await openWatch(
      server,
      `/api/v1/namespaces/${ns}/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`,
    );
    server.faults.stallWatches({ namespace: ns });
    await createMap(ns, 'unseen');
    server.faults.sendBookmarks();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stalled.events).toEqual([]);
    server.faults.dropWatches({ namespace: ns, abrupt: true });
    await stalled.ended;
  });
});

describe('stop', () => {
  it('closes open watches and resolves when everything is closed', async () => {
    const temporary = await FakeApiServer.start();
    const watch = await openWatch(temporary, '/api/v1/configmaps?watch=true');
    await temporary.stop();
    await watch.ended;
    await expect(eventually(() => raw(temporary, '/version', { anonymous: true }), 200)).rejects.toThrow();
  });
});
