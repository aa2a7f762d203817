import { createObject, getObject, patchObject } from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import { createKopfExampleCrd, KOPFEXAMPLES, kopfExample, startCluster, startWatching } from '../support.js';

describe('watchObjects and managedFields', () => {
  it('drops managedFields from listed and watched objects by default, and keeps them when asked', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    await createObject(client, KOPFEXAMPLES, kopfExample('listed'));
    const stored = await getObject(client, KOPFEXAMPLES, { name: 'listed', namespace: 'default' });
    expect(stored?.metadata?.managedFields).toBeDefined(); // the server does write them

    const lean = startWatching(client, KOPFEXAMPLES, {});
    const full = startWatching(client, KOPFEXAMPLES, { keepManagedFields: true });
    await lean.waitFor((event) => event.type === 'SYNCED');
    await full.waitFor((event) => event.type === 'SYNCED');
    await createObject(client, KOPFEXAMPLES, kopfExample('watched'));
    await patchObject(
      client,
      KOPFEXAMPLES,
      { name: 'watched', namespace: 'default' },
      { spec: { x: 1 } },
      { type: 'merge' },
    );
    await lean.waitFor((event) => event.type === 'MODIFIED');
    await full.waitFor((event) => event.type === 'MODIFIED');

    const fields = (events: typeof lean.events) =>
      events
        .filter((e) => 'object' in e)
        .map((e) => ('object' in e ? e.object.metadata?.managedFields !== undefined : false));
    expect(fields(lean.events)).toEqual([false, false, false]);
    expect(fields(full.events)).toEqual([true, true, true]);
  });
});
