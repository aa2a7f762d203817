import { Patch } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import {
  ensureField,
  ensureInPatch,
  formatField,
  removeField,
  removeFromPatch,
  resolveInPatch,
} from './field-paths.js';

describe('formatField', () => {
  it('fills in the storage name', () => {
    expect(formatField('status.{name}.progress', 'my-op')).toEqual(['status', 'my-op', 'progress']);
  });
});

describe('ensureField', () => {
  it('creates missing parents', () => {
    const target: Record<string, unknown> = { a: { keep: 1 } };
    ensureField(target, ['a', 'b', 'c'], 'v');
    expect(target).toEqual({ a: { keep: 1, b: { c: 'v' } } });
  });

  it('refuses to write through a non-object parent', () => {
    expect(() => ensureField({ a: 'text' }, ['a', 'b'], 1)).toThrow(/a is not an object/);
  });
});

describe('removeField', () => {
  it('removes parents left empty, as Kopf dicts.remove', () => {
    const target = { a: { b: { c: 1 } }, keep: true };
    removeField(target, ['a', 'b', 'c']);
    expect(target).toEqual({ keep: true });
  });

  it('removes already-empty parents on the way even when the field is absent', () => {
    const target = { spec: {}, other: 1 };
    removeField(target, ['spec', 'x', 'y']);
    expect(target).toEqual({ other: 1 });
  });

  it('leaves non-object parents alone', () => {
    const target = { a: { e: { f: 'g' } } };
    removeField(target, ['a', 'e', 'f', 'g']);
    expect(target).toEqual({ a: { e: { f: 'g' } } });
  });
});

describe('patch fields', () => {
  it('writes through the patch views and takes writes back without leftovers', () => {
    const patch = new Patch();
    ensureInPatch(patch, ['status', 'kopf', 'progress', 'fn'], { retries: 1 });
    ensureInPatch(patch, ['metadata', 'annotations', 'x/y'], 'v');
    expect(resolveInPatch(patch, ['status', 'kopf', 'progress', 'fn'])).toEqual({ retries: 1 });
    removeFromPatch(patch, ['status', 'kopf', 'progress', 'fn']);
    removeFromPatch(patch, ['metadata', 'annotations', 'x/y']);
    expect([patch.isEmpty, patch.toMergePatch()]).toEqual([true, {}]);
  });

  it('keeps the views usable after a take-back', () => {
    const patch = new Patch();
    ensureInPatch(patch, ['metadata', 'annotations', 'x/y'], 'v');
    removeFromPatch(patch, ['metadata', 'annotations', 'x/y']);
    patch.metadata.labels.l = 'v';
    expect(patch.toMergePatch()).toEqual({ metadata: { labels: { l: 'v' } } });
  });
});
