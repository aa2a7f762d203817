import { describe, expect, it } from 'vitest';
import { Patch } from './patches.js';

describe('Patch', () => {
  it('collects writes through the views into one merge patch', () => {
    const patch = new Patch();
    patch.status.message = 'hello';
    patch.spec.size = 3;
    patch.metadata.labels.stage = 'ready';
    patch.meta.annotations.note = null;
    expect(patch.toMergePatch()).toEqual({
      status: { message: 'hello' },
      spec: { size: 3 },
      metadata: { labels: { stage: 'ready' }, annotations: { note: null } },
    });
  });

  it('stays empty when views are only read', () => {
    const patch = new Patch();
    expect(patch.status.message).toBeUndefined();
    expect(Object.keys(patch.metadata.labels)).toEqual([]);
    expect([patch.isEmpty, patch.toMergePatch()]).toEqual([true, {}]);
  });

  it('keeps an explicitly assigned empty object, which creates an empty field', () => {
    const patch = new Patch();
    patch.spec.nested = {};
    patch.metadata.labels = {};
    expect(patch.toMergePatch()).toEqual({ spec: { nested: {} }, metadata: { labels: {} } });
  });

  it('counts body functions as content and clears everything', () => {
    const patch = new Patch();
    patch.fns.push((body) => body);
    expect(patch.isEmpty).toBe(false);
    patch.status.x = 1;
    patch.clear();
    expect([patch.isEmpty, patch.fns.length]).toEqual([true, 0]);
  });
});
