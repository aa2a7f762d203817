import type { KubernetesObject } from '@kopf/core';
import { createObject, patchObject } from '@kopf/k8s';
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

describe('watchObjects over a dropped stream', () => {
  it('resumes from the last seen resourceVersion with no lost or duplicated event', async () => {
    const { server, client } = await startCluster();
    await createKopfExampleCrd(client);
    await createObject(client, KOPFEXAMPLES, kopfExample('before'));
    const watcher = startWatching(client, KOPFEXAMPLES, { reconnectBackoff: 0.01 });
    await watcher.waitFor((event) => event.type === 'SYNCED');

    // Writes interleaved with drops of the stream (clean ends and cut connections).
    const written: string[] = [];
    for (let i = 0; i < 30; i++) {
      const name = `obj-${i % 10}`;
      const result =
        i < 10
          ? await createObject(client, KOPFEXAMPLES, kopfExample(name))
          : await patchObject<KubernetesObject>(
              client,
              KOPFEXAMPLES,
              { name, namespace: 'default' },
              { spec: { round: i } },
              { type: 'merge' },
            );
      written.push(`${i < 10 ? 'ADDED' : 'MODIFIED'} ${name}@${result?.metadata?.resourceVersion}`);
      if (i % 7 === 3) server.faults.dropWatches({ abrupt: i % 2 === 0 });
    }

    await eventually(
      () => watcher.events.filter((e) => e.type !== 'LISTED' && e.type !== 'SYNCED').length >= 30,
    );
    const seen = watcher.events.filter((e) => e.type === 'ADDED' || e.type === 'MODIFIED').map(describeEvent);
    expect(seen).toEqual(written);
    expect(watcher.events.filter((e) => e.type === 'SYNCED')).toHaveLength(1);
  });

  it('moves the resourceVersion with bookmarks and resumes from there', async () => {
    const { server, client } = await startCluster();
    await createKopfExampleCrd(client);
    const restarts: string[] = [];
    const watcher = startWatching(client, KOPFEXAMPLES, {
      reconnectBackoff: 0.01,
      onRestart: (reason, details) => restarts.push(`${reason}@${details.resourceVersion}`),
    });
    const synced = await watcher.waitFor((event) => event.type === 'SYNCED');
    // A change elsewhere moves the global resourceVersion; the bookmark carries it to this watch.
    await createObject(
      client,
      { group: '', version: 'v1', plural: 'configmaps' },
      {
        metadata: { name: 'elsewhere', namespace: 'default' },
      },
    );
    const syncedVersion = Number(synced.type === 'SYNCED' ? synced.resourceVersion : 'NaN');
    // A bookmark and then a clean end on the same stream: the client reads both, in order.
    await eventually(() => {
      server.faults.sendBookmarks();
      server.faults.dropWatches();
      return restarts.some((restart) => Number(restart.split('@')[1]) > syncedVersion);
    });
    expect(restarts.every((restart) => restart.startsWith('closed@'))).toBe(true);
    expect(watcher.events.filter((event) => event.type !== 'SYNCED')).toEqual([]);
  });

  it('reconnects when the server ends the stream at its timeoutSeconds', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const restarts: string[] = [];
    const watcher = startWatching(client, KOPFEXAMPLES, {
      serverTimeout: 1,
      reconnectBackoff: 0.01,
      onRestart: (reason) => restarts.push(reason),
    });
    await watcher.waitFor((event) => event.type === 'SYNCED');
    await eventually(() => restarts.length >= 1);
    await createObject(client, KOPFEXAMPLES, kopfExample('after-timeout'));
    await watcher.waitFor((event) => event.type === 'ADDED');
    expect(restarts.every((reason) => reason === 'closed')).toBe(true);
  });
});
