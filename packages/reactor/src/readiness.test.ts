import { describe, expect, it } from 'vitest';
import { ListingReadiness } from './readiness.js';
import { ToggleSet } from './toggles.js';

describe('ListingReadiness', () => {
  it('holds the operator until the first listing is complete and every listed object is indexed', () => {
    const indexing = new ToggleSet();
    const pods = new ListingReadiness(indexing, 'pods@*');
    const secrets = new ListingReadiness(indexing, 'secrets@*');
    pods.listed('a');
    pods.listed('b');
    pods.synced();
    pods.listed('late'); // after the first listing: not waited for
    pods.indexed('a');
    expect(indexing.reasons).toEqual(['pods@*', 'secrets@*']);
    pods.indexed('b');
    expect(indexing.reasons).toEqual(['secrets@*']);
    secrets.synced();
    expect(indexing.isOn).toBe(false);
  });

  it('lets go when its watcher exits, complete or not', () => {
    const indexing = new ToggleSet();
    const pods = new ListingReadiness(indexing, 'pods@*');
    pods.listed('a');
    pods.close();
    expect(indexing.isOn).toBe(false);
  });
});
