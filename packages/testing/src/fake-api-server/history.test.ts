import { describe, expect, it } from 'vitest';
import { ChangeHistory, type StoreChange } from './history.js';

function change(resourceVersion: number): StoreChange {
  return { type: 'ADDED', storage: 's', key: `k${resourceVersion}`, resourceVersion, object: {} };
}

describe('ChangeHistory', () => {
  it('returns the changes after a revision, oldest first', () => {
    const history = new ChangeHistory(10);
    for (const rv of [1, 2, 3, 4]) history.push(change(rv));
    expect(history.since(2)?.map((entry) => entry.resourceVersion)).toEqual([3, 4]);
    expect(history.since(4)).toEqual([]);
  });

  it('forgets the oldest changes beyond its limit and reports older revisions as expired', () => {
    const history = new ChangeHistory(3);
    for (const rv of [1, 2, 3, 4, 5]) history.push(change(rv));
    expect(history.compactedRevision).toBe(2);
    expect(history.since(1)).toBeUndefined();
    expect(history.since(2)?.map((entry) => entry.resourceVersion)).toEqual([3, 4, 5]);
  });

  it('compacts everything up to a revision on demand', () => {
    const history = new ChangeHistory(10);
    for (const rv of [1, 2, 3]) history.push(change(rv));
    history.compact(3);
    expect(history.since(2)).toBeUndefined();
    expect(history.since(3)).toEqual([]);
    history.push(change(4));
    expect(history.since(3)?.map((entry) => entry.resourceVersion)).toEqual([4]);
  });
});
