import { type Body, Patch } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { jsonPatchOf } from './json-patches.js';

const body: Body = {
  metadata: { name: 'x', labels: { keep: 'yes', drop: 'yes' } },
  spec: { field: 'value', items: [1, 2] },
};

describe('jsonPatchOf', () => {
  it('is empty for an untouched patch, even after reading its views', () => {
    const patch = new Patch();
    void patch.spec.field;
    void patch.metadata.labels.keep;
    expect(jsonPatchOf(patch, body)).toEqual([]);
  });

  it('turns merge-patch writes into additions, replacements and removals', () => {
    const patch = new Patch();
    patch.spec.injected = 123;
    patch.spec.field = 'changed';
    patch.metadata.labels.drop = null;
    patch.body.status = { phase: 'new' };
    expect(jsonPatchOf(patch, body)).toEqual(
      expect.arrayContaining([
        { op: 'add', path: '/spec/injected', value: 123 },
        { op: 'replace', path: '/spec/field', value: 'changed' },
        { op: 'remove', path: '/metadata/labels/drop' },
        { op: 'add', path: '/status', value: { phase: 'new' } },
      ]),
    );
    expect(jsonPatchOf(patch, body)).toHaveLength(4);
  });

  it('leaves out writes that change nothing', () => {
    const patch = new Patch();
    patch.spec.field = 'value';
    patch.metadata.labels.absent = null;
    expect(jsonPatchOf(patch, body)).toEqual([]);
  });

  it('applies body transformations on top of the merge patch, and never changes the body', () => {
    const patch = new Patch();
    const before = structuredClone(body);
    patch.spec.field = 'changed';
    patch.fns.push((current) => ({
      ...current,
      spec: { ...current.spec, items: [...((current.spec?.items as number[] | undefined) ?? []), 3] },
    }));
    expect(jsonPatchOf(patch, body)).toEqual([
      { op: 'add', path: '/spec/items/2', value: 3 },
      { op: 'replace', path: '/spec/field', value: 'changed' },
    ]);
    expect(body).toEqual(before);
  });
});
