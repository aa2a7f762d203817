import type { Resource } from '@kopf/core';
import {
  createObject,
  deleteObject,
  discoverResources,
  observeResources,
  patchObject,
  resolveResources,
  selectResources,
} from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import {
  CRDS,
  createKopfExampleCrd,
  eventually,
  KOPFEXAMPLES,
  kopfExample,
  kopfExampleCrd,
  startCluster,
  startWatching,
} from '../support.js';

describe('discoverResources', () => {
  it('finds built-in and custom resources with scope, subresources and preferred versions', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const resources = await discoverResources(client);
    const pods = resolveResources(resources, { name: 'pods' });
    expect(pods).toMatchObject([
      { group: '', version: 'v1', kind: 'Pod', namespaced: true, preferred: true },
    ]);
    expect(pods[0]!.subresources).toContain('status');
    const [kex] = resolveResources(resources, { name: 'kex' });
    expect(kex).toMatchObject({
      group: 'kopf.dev',
      version: 'v1',
      plural: 'kopfexamples',
      kind: 'KopfExample',
      singular: 'kopfexample',
      namespaced: true,
      subresources: ['status'],
    });
    expect(kex!.verbs).toEqual(expect.arrayContaining(['list', 'watch', 'patch']));
    expect(resolveResources(resources, { name: 'namespaces' })).toMatchObject([{ namespaced: false }]);
    expect(resolveResources(resources, { name: 'KopfExample' })).toEqual([kex]);
    expect(resolveResources(resources, { group: 'kopf.dev', plural: 'kopfexamples' })).toEqual([kex]);
  });

  it('reports a name served by two groups as ambiguous', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const other = kopfExampleCrd();
    const spec = other.spec as { group: string };
    spec.group = 'zalando.org';
    other.metadata = { name: 'kopfexamples.zalando.org' };
    await createObject(client, CRDS, other);
    const selection = selectResources(await discoverResources(client), { name: 'kopfexamples' });
    expect(selection.resources).toEqual([]);
    expect(selection.ambiguous.map((r) => r.group).sort()).toEqual(['kopf.dev', 'zalando.org']);
  });
});

describe('observeResources', () => {
  it('starts serving a CRD created after start, and stops when it is deleted', async () => {
    const { client } = await startCluster();
    const controller = new AbortController();
    const seen: Resource[][] = [];
    const done = (async () => {
      for await (const resources of observeResources(client, { signal: controller.signal }))
        seen.push(resources);
    })();
    const has = (list: Resource[] | undefined) =>
      list ? resolveResources(list, { name: 'kex' }).length > 0 : false;
    await eventually(() => seen.length >= 1);
    expect(has(seen[0])).toBe(false);

    await createKopfExampleCrd(client);
    await eventually(() => has(seen.at(-1)));
    const [kex] = resolveResources(seen.at(-1)!, { name: 'kex' });

    // The newly found resource is watchable right away.
    const watcher = startWatching(client, kex!);
    await watcher.waitFor((event) => event.type === 'SYNCED');
    await createObject(client, KOPFEXAMPLES, kopfExample('first'));
    await watcher.waitFor((event) => event.type === 'ADDED' && event.object.metadata?.name === 'first');
    await watcher.stop();

    await deleteObject(client, KOPFEXAMPLES, { name: 'first', namespace: 'default' });
    await deleteObject(client, CRDS, { name: 'kopfexamples.kopf.dev' });
    await eventually(() => !has(seen.at(-1)));
    controller.abort();
    await done;
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('yields only on changes, not on every CRD event', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const controller = new AbortController();
    const seen: Resource[][] = [];
    const done = (async () => {
      for await (const resources of observeResources(client, { signal: controller.signal }))
        seen.push(resources);
    })();
    await eventually(() => seen.length >= 1);
    // A label on the CRD is an event, but no change of the served resources.
    await patchObject(
      client,
      CRDS,
      { name: 'kopfexamples.kopf.dev' },
      { metadata: { labels: { a: 'b' } } },
      {
        type: 'merge',
      },
    );
    const shortNames = kopfExampleCrd().spec as { names: { shortNames: string[] } };
    await patchObject(
      client,
      CRDS,
      { name: 'kopfexamples.kopf.dev' },
      { spec: { names: { shortNames: [...shortNames.names.shortNames, 'kexx'] } } },
      { type: 'merge' },
    );
    await eventually(() => seen.length >= 2);
    controller.abort();
    await done;
    expect(seen).toHaveLength(2);
    expect(resolveResources(seen[1]!, { name: 'kexx' })).toHaveLength(1);
  });
});
