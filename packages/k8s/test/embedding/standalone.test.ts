import type { StreamEvent } from '@kopf/k8s';
import { createApiClient, createObject, discoverResources, resolveResources, watchObjects } from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import { createKopfExampleCrd, eventually, kopfExample, startCluster } from '../support.js';

describe('the README example', () => {
  it('watches a resource found by its short name, with nothing but @kopf/k8s', async () => {
    const { client: setup, kubeconfig } = await startCluster();
    await createKopfExampleCrd(setup);
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    const client = await createApiClient().finally(() => {
      process.env.KUBECONFIG = previous;
    });
    const [resource] = resolveResources(await discoverResources(client), { name: 'kex' });
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const done = (async () => {
      for await (const event of watchObjects(client, resource!, { signal: controller.signal }))
        events.push(event);
    })();
    await eventually(() => events.some((event) => event.type === 'SYNCED'));
    await createObject(setup, resource!, kopfExample('from-readme'));
    await eventually(() => events.some((event) => event.type === 'ADDED'));
    controller.abort();
    await done;
    client.close();
    expect(events.map((event) => event.type)).toEqual(['SYNCED', 'ADDED']);
  });
});
