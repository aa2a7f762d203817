import { type Diff, on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ, waitGone } from './support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('change detection of the talk', () => {
  it('runs create, update, field and delete handlers with the right old, new and diff', async () => {
    const registry = new Registry();
    const calls: Record<string, unknown[]> = { create1: [], create2: [], update: [], field: [], delete: [] };
    on.create('kopfexamples', { registry }, function create_fn_1({ spec }) {
      calls.create1?.push(spec.field);
    });
    on.create('kopfexamples', { registry }, function create_fn_2({ meta }) {
      calls.create2?.push(meta.name);
    });
    on.update('kopfexamples', { registry }, function update_fn({ old, new: fresh, diff }) {
      calls.update?.push({ old: old?.spec, new: fresh?.spec, diff });
    });
    on.field('kopfexamples', { registry, field: 'spec.field' }, function field_fn({ old, new: fresh }) {
      calls.field?.push(`FIELD CHANGED: ${old} -> ${fresh}`);
    });
    on.delete('kopfexamples', { registry }, function delete_fn({ name }) {
      calls.delete?.push(name);
    });
    run = await runOperator({ registry, apply: CRD });

    await run.cluster.apply(OBJ);
    // As in Kopf, a field handler also sees the field appear on creation.
    await run.waitForLog('Creation is processed: 3 succeeded; 0 failed.');
    expect([calls.create1, calls.create2]).toEqual([['value'], ['kopf-example-1']]);
    expect(calls.field).toEqual(['FIELD CHANGED: undefined -> value']);

    await run.cluster.patch(EXAMPLE, { spec: { field: 'changed' } });
    await run.waitForLog('Updating is processed: 2 succeeded; 0 failed.');
    const diff: Diff = [{ operation: 'change', field: ['spec', 'field'], old: 'value', new: 'changed' }];
    expect(calls.update).toEqual([
      {
        old: { duration: '1m', field: 'value', items: ['item1', 'item2'] },
        new: { duration: '1m', field: 'changed', items: ['item1', 'item2'] },
        diff,
      },
    ]);
    expect(calls.field).toEqual(['FIELD CHANGED: undefined -> value', 'FIELD CHANGED: value -> changed']);

    await run.cluster.delete(EXAMPLE);
    await waitGone(run);
    expect(calls.delete).toEqual(['kopf-example-1']);
    await eventually(
      () => run?.lines('debug').some((l) => l.includes('Deleted, really deleted')) ?? false,
      'gone',
    );
    // Nothing ran twice.
    expect([calls.create1?.length, calls.update?.length, calls.field?.length]).toEqual([1, 1, 2]);
  });

  it('leaves objects no handler is interested in untouched (stealth mode)', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry, labels: { somelabel: 'other' } }, () => {});
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const object = await run.cluster.get(EXAMPLE);
    const annotations = Object.keys(object?.metadata?.annotations ?? {});
    expect(annotations.filter((key) => key.startsWith('kopf.zalando.org'))).toEqual([]);
    expect(object?.metadata?.finalizers).toBeUndefined();
  });
});
