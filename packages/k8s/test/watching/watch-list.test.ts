import { createObject, deleteObject } from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import {
  createKopfExampleCrd,
  describeEvent,
  eventually,
  KOPFEXAMPLES,
  kopfExample,
  startCluster,
  startWatching,
} from '../support.js';

describe('watchObjects with watchList', () => {
  it('gets the initial state and every re-sync from the watch itself, without list requests', async () => {
    const { server, client } = await startCluster();
    await createKopfExampleCrd(client);
    await createObject(client, KOPFEXAMPLES, kopfExample('a'));
    await createObject(client, KOPFEXAMPLES, kopfExample('b'));
    const watcher = startWatching(client, KOPFEXAMPLES, { watchList: true, reconnectBackoff: 0.01 });
    await watcher.waitFor((event) => event.type === 'SYNCED');
    const initial = watcher.events.map((event) => event.type);
    expect(initial).toEqual(['LISTED', 'LISTED', 'SYNCED']);

    const c = await createObject(client, KOPFEXAMPLES, kopfExample('c'));
    await watcher.waitFor((event) => event.type === 'ADDED');
    expect(describeEvent(watcher.events.at(-1)!)).toBe(`ADDED c@${c.metadata?.resourceVersion}`);

    // The history is gone while the stream is down: a new initial state, with b vanished.
    server.faults.stallWatches();
    await deleteObject(client, KOPFEXAMPLES, { name: 'b', namespace: 'default' });
    server.faults.compactHistory();
    server.faults.dropWatches();
    await eventually(() => watcher.events.filter((event) => event.type === 'SYNCED').length >= 2);
    const resync = watcher.events
      .slice(4)
      .map((event) => (event.type === 'SYNCED' ? 'SYNCED' : describeEvent(event).split('@')[0]));
    expect(resync.sort()).toEqual(['DELETED b', 'LISTED a', 'LISTED c', 'SYNCED'].sort());
    expect(watcher.events.at(-1)?.type).toBe('SYNCED');
    expect(server.counters.get({ verb: 'list', resource: 'kopfexamples' })).toBe(0);
  });
});
