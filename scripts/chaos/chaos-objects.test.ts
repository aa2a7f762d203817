import type { KubernetesObject } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import {
  DIFF_BASE_ANNOTATION,
  FINALIZER,
  handledValue,
  objectBody,
  objectName,
  persistedSuccess,
  specValue,
} from './chaos-objects.js';

function withMeta(body: KubernetesObject, meta: Record<string, unknown>): KubernetesObject {
  return { ...body, metadata: { ...body.metadata, ...meta } };
}

describe('chaos objects', () => {
  it('names objects with their zero-padded index and carries the value in the spec', () => {
    expect(objectName(42)).toBe('chaos-000042');
    expect(specValue(objectBody(42, 3))).toBe(3);
  });

  it('reads the handled value from the diff-base, tolerating garbage', () => {
    const body = objectBody(1, 5);
    expect(handledValue(body)).toBeUndefined();
    const annotations = { [DIFF_BASE_ANNOTATION]: '{"spec":{"value":4}}\n' };
    expect(handledValue(withMeta(body, { annotations }))).toBe(4);
    expect(handledValue(withMeta(body, { annotations: { [DIFF_BASE_ANNOTATION]: '{' } }))).toBeUndefined();
  });

  it("tells whether a handler's success for a state is already persisted", () => {
    const fresh = objectBody(1, 5);
    const handled = withMeta(fresh, { annotations: { [DIFF_BASE_ANNOTATION]: '{"spec":{"value":5}}\n' } });
    const halfway = withMeta(fresh, {
      annotations: { 'kopf.zalando.org/create_first': '{"success":true}' },
      finalizers: [FINALIZER],
    });
    expect(persistedSuccess(fresh, 'create_first', 5)).toBe(false);
    expect(persistedSuccess(handled, 'create_first', 5)).toBe(true);
    expect(persistedSuccess(halfway, 'create_first', 5)).toBe(true);
    expect(persistedSuccess(halfway, 'create_second', 5)).toBe(false);
    expect(persistedSuccess(handled, 'update_fn', 5)).toBe(true);
    expect(persistedSuccess(handled, 'update_fn', 6)).toBe(false);
    expect(persistedSuccess(halfway, 'delete_fn', 5)).toBe(false);
    expect(persistedSuccess(fresh, 'delete_fn', 5)).toBe(true);
    expect(persistedSuccess(undefined, 'delete_fn', 5)).toBe(true);
    expect(persistedSuccess(undefined, 'update_fn', 5)).toBe(false);
  });
});
