import { describe, expect, it } from 'vitest';
import { builtinTypes } from './builtins.js';
import type { ResourceType } from './kinds.js';
import { listObjects, parseListQuery } from './reading.js';
import { MemoryStore } from './store.js';

const configmaps = builtinTypes().find((type) => type.plural === 'configmaps') as ResourceType;

function storeWith(names: string[]): MemoryStore {
  const store = new MemoryStore(100);
  for (const name of names)
    store.create('/configmaps', `ns/${name}`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'ns' },
    });
  return store;
}

const names = (items: Record<string, unknown>[]) =>
  items.map((item) => (item.metadata as { name: string }).name);

describe('listObjects', () => {
  it('pages through a snapshot that later writes do not disturb', () => {
    const store = storeWith(['a', 'b', 'c']);
    const first = listObjects(
      store,
      configmaps,
      parseListQuery(configmaps, 'ns', new URLSearchParams('limit=2')),
    );
    expect(names(first.items)).toEqual(['a', 'b']);
    expect(first.remainingItemCount).toBe(1);
    store.create('/configmaps', 'ns/bb', { metadata: { name: 'bb', namespace: 'ns' } });
    const second = listObjects(
      store,
      configmaps,
      parseListQuery(configmaps, 'ns', new URLSearchParams({ limit: '2', continue: first.continue ?? '' })),
    );
    expect(names(second.items)).toEqual(['c']);
    expect(second.resourceVersion).toBe(first.resourceVersion);
    expect(second.continue).toBeUndefined();
  });

  it('omits remainingItemCount when selecting', () => {
    const store = storeWith(['a', 'b', 'c']);
    const page = listObjects(
      store,
      configmaps,
      parseListQuery(configmaps, 'ns', new URLSearchParams('limit=1&fieldSelector=metadata.name!%3Db')),
    );
    expect(names(page.items)).toEqual(['a']);
    expect(page.remainingItemCount).toBeUndefined();
    expect(page.continue).toBeDefined();
  });

  it('serves an exact older resourceVersion with limit', () => {
    const store = storeWith(['a']);
    const revision = store.revision;
    store.create('/configmaps', 'ns/b', { metadata: { name: 'b', namespace: 'ns' } });
    const page = listObjects(
      store,
      configmaps,
      parseListQuery(configmaps, 'ns', new URLSearchParams(`limit=10&resourceVersion=${revision}`)),
    );
    expect(names(page.items)).toEqual(['a']);
    expect(page.resourceVersion).toBe(revision);
  });
});
