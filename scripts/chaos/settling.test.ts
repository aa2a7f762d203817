import type { KubernetesObject } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { DIFF_BASE_ANNOTATION, objectBody } from './chaos-objects.js';
import { unsettled } from './settling.js';

function handled(index: number, value: number, extra: Record<string, string> = {}): KubernetesObject {
  const body = objectBody(index, value);
  const annotations = { [DIFF_BASE_ANNOTATION]: `{"spec":{"value":${value}}}\n`, ...extra };
  return { ...body, metadata: { ...body.metadata, annotations } };
}

describe('unsettled', () => {
  it('is empty once survivors hold their final value and deleted objects are gone', () => {
    const objects = new Map([['chaos-000001', handled(1, 3)]]);
    const outcomes = [
      { name: 'chaos-000001', finalValue: 3, deleted: false },
      { name: 'chaos-000002', finalValue: 1, deleted: true },
    ];
    expect(unsettled(outcomes, objects)).toEqual(new Map());
  });

  it('names objects with an older handled value, handler progress, a pending deletion, or missing', () => {
    const objects = new Map([
      ['chaos-000001', handled(1, 2)],
      ['chaos-000002', handled(2, 1, { 'kopf.zalando.org/create_second': '{"retries":1}' })],
      ['chaos-000003', handled(3, 1)],
    ]);
    const outcomes = [
      { name: 'chaos-000001', finalValue: 3, deleted: false },
      { name: 'chaos-000002', finalValue: 1, deleted: false },
      { name: 'chaos-000003', finalValue: 1, deleted: true },
      { name: 'chaos-000004', finalValue: 1, deleted: false },
    ];
    expect(unsettled(outcomes, objects)).toEqual(
      new Map([
        ['chaos-000001', 'handled value 2'],
        ['chaos-000002', 'handler progress left'],
        ['chaos-000003', 'deleted, still on the server'],
        ['chaos-000004', 'missing'],
      ]),
    );
  });
});
