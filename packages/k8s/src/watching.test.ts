import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpClient } from './client.js';
import { createApiClient } from './client.js';
import type { StreamEvent, WatchRestartReason } from './watching.js';
import { watchObjects } from './watching.js';

/** Each request goes to the next scripted handler; the last one repeats. */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function scripted(handlers: Handler[]): Promise<{ client: HttpClient; urls: string[] }> {
  const urls: string[] = [];
  const server: Server = createServer((req, res) => {
    urls.push(req.url ?? '');
    handlers[Math.min(urls.length - 1, handlers.length - 1)]!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = await createApiClient({
    connection: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' },
    errorBackoffs: [],
  });
  cleanups.push(() => {
    client.close();
    server.closeAllConnections();
    server.close();
  });
  return { client, urls };
}

const obj = (name: string, rv: string) => ({
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: rv },
});

const list =
  (rv: string, ...items: object[]): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'KopfExampleList', metadata: { resourceVersion: rv }, items }));
  };

/** A watch that sends these lines, then either ends or stays open silently. */
const watch =
  (lines: object[], end: 'close' | 'stall' = 'close'): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    for (const line of lines) res.write(`${JSON.stringify(line)}\n`);
    if (end === 'close') res.end();
  };

const failure =
  (code: number): Handler =>
  (_req, res) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', code, message: `failed with ${code}` }));
  };

const resource = { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples', namespaced: true };

/** Collects events until `count` have arrived, then stops the watch. */
async function take(
  client: HttpClient,
  count: number,
  options: Partial<Parameters<typeof watchObjects>[2]> = {},
): Promise<StreamEvent[]> {
  const controller = new AbortController();
  const events: StreamEvent[] = [];
  for await (const event of watchObjects(client, resource, { signal: controller.signal, ...options })) {
    events.push(event);
    if (events.length >= count) controller.abort();
  }
  return events;
}

const summary = (events: StreamEvent[]) =>
  events.map((e) =>
    e.type === 'SYNCED' ? `SYNCED@${e.resourceVersion}` : `${e.type} ${e.object.metadata?.name}`,
  );

describe('watchObjects', () => {
  it('lists, then watches from the list resourceVersion with bookmarks', async () => {
    const { client, urls } = await scripted([
      list('10', obj('a', '5')),
      watch([{ type: 'ADDED', object: obj('b', '11') }], 'stall'),
    ]);
    const events = await take(client, 3);
    expect(summary(events)).toEqual(['LISTED a', 'SYNCED@10', 'ADDED b']);
    expect(urls[0]).toBe('/apis/kopf.dev/v1/kopfexamples?limit=500');
    expect(urls[1]).toBe(
      '/apis/kopf.dev/v1/kopfexamples?watch=true&resourceVersion=10&allowWatchBookmarks=true',
    );
  });

  it('resumes a closed stream from the last seen resourceVersion, bookmarks included', async () => {
    const { client, urls } = await scripted([
      list('10'),
      watch([
        { type: 'ADDED', object: obj('a', '11') },
        { type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } },
      ]),
      watch([
        { type: 'ADDED', object: obj('a', '11') }, // a duplicate the server should not send: dropped
        { type: 'MODIFIED', object: obj('a', '16') },
      ]),
      watch([], 'stall'),
    ]);
    const restarts: WatchRestartReason[] = [];
    const events = await take(client, 3, {
      reconnectBackoff: 0,
      onRestart: (reason) => restarts.push(reason),
    });
    expect(summary(events)).toEqual(['SYNCED@10', 'ADDED a', 'MODIFIED a']);
    expect(new URL(urls[2]!, 'http://x').searchParams.get('resourceVersion')).toBe('15');
    expect(restarts).toEqual(['closed']);
  });

  it('re-lists on 410 in the stream and reports vanished objects as DELETED with their last body', async () => {
    const { client, urls } = await scripted([
      list('10', obj('a', '5'), obj('b', '6')),
      watch([
        { type: 'MODIFIED', object: { ...obj('b', '12'), spec: { last: true } } },
        { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } },
      ]),
      list('20', obj('a', '5'), obj('c', '18')),
      watch([], 'stall'),
    ]);
    const restarts: WatchRestartReason[] = [];
    const events = await take(client, 8, { onRestart: (reason) => restarts.push(reason) });
    expect(summary(events)).toEqual([
      'LISTED a',
      'LISTED b',
      'SYNCED@10',
      'MODIFIED b',
      'LISTED a',
      'LISTED c',
      'DELETED b',
      'SYNCED@20',
    ]);
    expect(events[6]).toMatchObject({ type: 'DELETED', object: { spec: { last: true } } });
    expect(restarts).toEqual(['expired']);
    expect(urls[2]).toBe('/apis/kopf.dev/v1/kopfexamples?limit=500');
  });

  it('re-lists on an HTTP 410 of the watch request', async () => {
    const { client } = await scripted([
      list('10'),
      failure(410),
      list('30', obj('x', '29')),
      watch([], 'stall'),
    ]);
    const events = await take(client, 3);
    expect(summary(events)).toEqual(['SYNCED@10', 'LISTED x', 'SYNCED@30']);
  });

  it('restarts a stream that stays silent beyond the inactivity timeout', async () => {
    const { client, urls } = await scripted([
      list('10'),
      watch([], 'stall'),
      watch([{ type: 'ADDED', object: obj('late', '11') }], 'stall'),
    ]);
    const restarts: WatchRestartReason[] = [];
    const events = await take(client, 2, {
      inactivityTimeout: 0.2,
      reconnectBackoff: 0,
      onRestart: (reason) => restarts.push(reason),
    });
    expect(summary(events)).toEqual(['SYNCED@10', 'ADDED late']);
    expect(restarts).toEqual(['inactive']);
    expect(new URL(urls[2]!, 'http://x').searchParams.get('resourceVersion')).toBe('10');
  });

  it('backs off and repeats after errors, without ending', async () => {
    const { client } = await scripted([
      failure(500),
      failure(403),
      list('10', obj('a', '1')),
      watch([], 'stall'),
    ]);
    const restarts: WatchRestartReason[] = [];
    const events = await take(client, 2, {
      errorBackoff: { initial: 0.01, max: 0.02 },
      onRestart: (reason) => restarts.push(reason),
    });
    expect(summary(events)).toEqual(['LISTED a', 'SYNCED@10']);
    expect(restarts).toEqual(['error', 'error']);
  });

  it('follows continue tokens while listing', async () => {
    const { client, urls } = await scripted([
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ metadata: { resourceVersion: '7', continue: 'tok' }, items: [obj('a', '1')] }),
        );
      },
      list('7', obj('b', '2')),
      watch([], 'stall'),
    ]);
    const events = await take(client, 3, { pageSize: 1 });
    expect(summary(events)).toEqual(['LISTED a', 'LISTED b', 'SYNCED@7']);
    expect(urls[1]).toBe('/apis/kopf.dev/v1/kopfexamples?limit=1&continue=tok');
  });

  it('takes the initial state from the watch itself with watchList, then streams on', async () => {
    const { client, urls } = await scripted([
      watch(
        [
          { type: 'ADDED', object: obj('a', '5') },
          { type: 'ADDED', object: obj('b', '6') },
          {
            type: 'BOOKMARK',
            object: {
              metadata: { resourceVersion: '10', annotations: { 'k8s.io/initial-events-end': 'true' } },
            },
          },
          { type: 'MODIFIED', object: obj('a', '11') },
        ],
        'stall',
      ),
    ]);
    const events = await take(client, 4, { watchList: true });
    expect(summary(events)).toEqual(['LISTED a', 'LISTED b', 'SYNCED@10', 'MODIFIED a']);
    const query = new URL(urls[0]!, 'http://x').searchParams;
    expect([
      query.get('sendInitialEvents'),
      query.get('resourceVersionMatch'),
      query.get('resourceVersion'),
    ]).toEqual(['true', 'NotOlderThan', null]);
  });

  it('falls back to listing when the server refuses watchList', async () => {
    const { client, urls } = await scripted([failure(422), list('10', obj('a', '5')), watch([], 'stall')]);
    const restarts: WatchRestartReason[] = [];
    const events = await take(client, 2, { watchList: true, onRestart: (reason) => restarts.push(reason) });
    expect(summary(events)).toEqual(['LISTED a', 'SYNCED@10']);
    expect(urls[1]).toBe('/apis/kopf.dev/v1/kopfexamples?limit=500');
    expect(restarts).toEqual(['error']);
  });

  it('falls back to listing when the initial events never end (servers before 1.27)', async () => {
    const { client } = await scripted([
      watch([{ type: 'ADDED', object: obj('a', '5') }], 'stall'),
      list('10', obj('a', '5')),
      watch([], 'stall'),
    ]);
    const events = await take(client, 3, { watchList: true, inactivityTimeout: 0.2 });
    expect(summary(events)).toEqual(['LISTED a', 'LISTED a', 'SYNCED@10']);
  });
});
