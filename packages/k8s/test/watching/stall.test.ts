import { createObject } from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import { createKopfExampleCrd, KOPFEXAMPLES, kopfExample, startCluster, startWatching } from '../support.js';

describe('watchObjects on a silent stream', () => {
  it('detects a stall after the inactivity timeout, restarts, and catches up', async () => {
    const { server, client } = await startCluster();
    await createKopfExampleCrd(client);
    const restarts: { reason: string; at: number }[] = [];
    const inactivityTimeout = 0.5;
    const watcher = startWatching(client, KOPFEXAMPLES, {
      inactivityTimeout,
      reconnectBackoff: 0.01,
      onRestart: (reason) => restarts.push({ reason, at: performance.now() }),
    });
    await watcher.waitFor((event) => event.type === 'SYNCED');
    await createObject(client, KOPFEXAMPLES, kopfExample('before-stall'));
    const before = await watcher.waitFor((event) => event.type === 'ADDED');
    const lastHeard = watcher.times[watcher.events.indexOf(before)]!;
    expect(server.faults.stallWatches()).toBeGreaterThan(0);
    await createObject(client, KOPFEXAMPLES, kopfExample('during-stall'));

    const created = await watcher.waitFor(
      (event) => event.type === 'ADDED' && event.object.metadata?.name === 'during-stall',
    );
    expect(created.type).toBe('ADDED');
    const restart = restarts.find((entry) => entry.reason === 'inactive');
    expect(restart).toBeDefined();
    // Not before the configured timeout since the last event: the silence is what triggered it.
    expect(restart!.at - lastHeard).toBeGreaterThanOrEqual(inactivityTimeout * 1000 - 20);
  });

  it('keeps a quiet but healthy stream alive through bookmarks', async () => {
    const { server, client } = await startCluster();
    await createKopfExampleCrd(client);
    const restarts: string[] = [];
    const watcher = startWatching(client, KOPFEXAMPLES, {
      inactivityTimeout: 1.5,
      onRestart: (reason) => restarts.push(reason),
    });
    await watcher.waitFor((event) => event.type === 'SYNCED');
    const started = performance.now();
    while (performance.now() - started < 3000) {
      server.faults.sendBookmarks();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(restarts).toEqual([]);
  });
});
