import { describe, expect, it } from 'vitest';
import type { StoreChange } from './history.js';
import { MemoryStore } from './store.js';

describe('MemoryStore', () => {
  it('assigns one global, increasing resource version to every write', () => {
    const store = new MemoryStore(100);
    const a = store.create('a', 'ns/x', { metadata: { name: 'x' } });
    const b = store.create('b', 'y', { metadata: { name: 'y' } });
    const a2 = store.update('a', 'ns/x', { metadata: { name: 'x', labels: { l: '1' } } });
    expect(
      [a, b, a2].map((object) => (object.metadata as { resourceVersion: string }).resourceVersion),
    ).toEqual(['1', '2', '3']);
    expect(store.revision).toBe(3);
  });

  it('lists sorted by key and filters by namespace', () => {
    const store = new MemoryStore(100);
    store.create('s', 'b/z', { metadata: { name: 'z' } });
    store.create('s', 'a/y', { metadata: { name: 'y' } });
    store.create('s', 'b/x', { metadata: { name: 'x' } });
    expect(store.list('s').map((object) => (object.metadata as { name: string }).name)).toEqual([
      'y',
      'x',
      'z',
    ]);
    expect(store.list('s', 'b').map((object) => (object.metadata as { name: string }).name)).toEqual([
      'x',
      'z',
    ]);
  });

  it('reconstructs the state at an older revision from the history', () => {
    const store = new MemoryStore(100);
    store.create('s', 'x', { metadata: { name: 'x' }, v: 1 });
    const revision = store.revision;
    store.update('s', 'x', { metadata: { name: 'x' }, v: 2 });
    store.create('s', 'y', { metadata: { name: 'y' } });
    store.remove('s', 'x', { metadata: { name: 'x' }, v: 2 });
    const then = store.listAt('s', undefined, revision);
    expect(then?.map((object) => object.v)).toEqual([1]);
    expect(store.list('s').map((object) => (object.metadata as { name: string }).name)).toEqual(['y']);
  });

  it('notifies listeners synchronously with the previous state, and stops after unsubscribing', () => {
    const store = new MemoryStore(100);
    const seen: StoreChange[] = [];
    const unsubscribe = store.subscribe('s', (change) => seen.push(change));
    store.create('s', 'x', { metadata: { name: 'x' }, v: 1 });
    store.update('s', 'x', { metadata: { name: 'x' }, v: 2 });
    unsubscribe();
    store.remove('s', 'x', { metadata: { name: 'x' }, v: 2 });
    expect(seen.map((change) => [change.type, change.previous?.v])).toEqual([
      ['ADDED', undefined],
      ['MODIFIED', 1],
    ]);
  });

  it('reports compacted history as undefined', () => {
    const store = new MemoryStore(100);
    store.create('s', 'x', { metadata: { name: 'x' } });
    store.compact();
    expect(store.changesSince('s', 0)).toBeUndefined();
    expect(store.listAt('s', undefined, 0)).toBeUndefined();
    expect(store.changesSince('s', 1)).toEqual([]);
  });
});

describe('MemoryStore save and restore', () => {
  it('restores objects, the revision and the kept history (resumes and old lists still work)', () => {
    const store = new MemoryStore(3);
    store.create('s', 'a', { metadata: { name: 'a' } });
    store.create('s', 'b', { metadata: { name: 'b' } });
    store.update('s', 'a', { metadata: { name: 'a' }, data: 1 });
    store.remove('s', 'b', { metadata: { name: 'b' } });
    store.create('t', 'c', { metadata: { name: 'c' } });
    const saved = JSON.parse(JSON.stringify(store.save()));
    expect(saved.compacted).toBe(2);
    const restored = MemoryStore.restore(3, saved, [
      { type: 'ADDED', storage: 's', key: 'd', resourceVersion: 6, object: { metadata: { name: 'd' } } },
    ]);
    expect(restored.revision).toBe(6);
    expect(restored.compactedRevision).toBe(3);
    expect(restored.list('s').map((object) => (object.metadata as { name: string }).name)).toEqual([
      'a',
      'd',
    ]);
    expect(
      restored
        .changesSince('s', 3)
        ?.map((change) => [change.type, change.key, change.previous !== undefined]),
    ).toEqual([
      ['DELETED', 'b', true],
      ['ADDED', 'd', false],
    ]);
    expect(
      restored.listAt('s', undefined, 4)?.map((object) => (object.metadata as { name: string }).name),
    ).toEqual(['a']);
    expect(restored.changesSince('s', 1)).toBeUndefined();
  });

  it('skips logged changes a snapshot already holds, and replays compactions', () => {
    const store = new MemoryStore(10);
    store.create('s', 'a', { metadata: { name: 'a' } });
    const restored = MemoryStore.restore(10, store.save(), [
      { type: 'ADDED', storage: 's', key: 'a', resourceVersion: 1, object: { metadata: { name: 'stale' } } },
      { compact: 1 },
    ]);
    expect(restored.get('s', 'a')).toEqual({ metadata: { name: 'a', resourceVersion: '1' } });
    expect(restored.compactedRevision).toBe(1);
  });
});
