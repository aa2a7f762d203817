import { createObject, deleteObject, listObjects, patchObject } from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import {
  createKopfExampleCrd,
  eventually,
  KOPFEXAMPLES,
  kopfExample,
  startCluster,
  startWatching,
} from '../support.js';

describe('watchObjects after 410 Gone', () => {
  it('re-lists consistently: current objects LISTED, vanished ones DELETED with their last state', async () => {
    const { server, client } = await startCluster();
    await createKopfExampleCrd(client);
    for (const name of ['keep', 'change', 'vanish'])
      await createObject(client, KOPFEXAMPLES, kopfExample(name));
    const restarts: string[] = [];
    const watcher = startWatching(client, KOPFEXAMPLES, {
      reconnectBackoff: 0.01,
      onRestart: (reason) => restarts.push(reason),
    });
    await watcher.waitFor((event) => event.type === 'SYNCED');
    await patchObject(
      client,
      KOPFEXAMPLES,
      { name: 'vanish', namespace: 'default' },
      { spec: { last: 'words' } },
      {
        type: 'merge',
      },
    );
    await watcher.waitFor((event) => event.type === 'MODIFIED' && event.object.metadata?.name === 'vanish');

    // While the watch is down, objects change and vanish, and the history is compacted.
    server.faults.stallWatches();
    await deleteObject(client, KOPFEXAMPLES, { name: 'vanish', namespace: 'default' });
    await patchObject(
      client,
      KOPFEXAMPLES,
      { name: 'change', namespace: 'default' },
      { spec: { v: 2 } },
      {
        type: 'merge',
      },
    );
    await createObject(client, KOPFEXAMPLES, kopfExample('new'));
    server.faults.compactHistory();
    server.faults.dropWatches();

    await eventually(() => watcher.events.filter((event) => event.type === 'SYNCED').length >= 2);
    const second = watcher.events.findIndex((event, index) => index > 3 && event.type === 'LISTED');
    const relist = watcher.events.slice(second);
    const listed = relist
      .filter((event) => event.type === 'LISTED')
      .map((event) => event.object.metadata?.name);
    expect(listed.sort()).toEqual(['change', 'keep', 'new']);
    const deleted = relist.filter((event) => event.type === 'DELETED');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ object: { metadata: { name: 'vanish' }, spec: { last: 'words' } } });
    expect(relist.at(-1)?.type).toBe('SYNCED');
    expect(restarts).toContain('expired');

    // The result is the server's truth.
    const truth = await listObjects(client, KOPFEXAMPLES);
    const changed = relist.find(
      (event) => event.type === 'LISTED' && event.object.metadata?.name === 'change',
    );
    const current = truth.items.find((item) => item.metadata?.name === 'change');
    expect(changed?.type === 'LISTED' && changed.object.metadata?.resourceVersion).toBe(
      current?.metadata?.resourceVersion,
    );
  });
});
