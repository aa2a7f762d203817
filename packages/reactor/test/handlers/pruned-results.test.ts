/**
 * A CRD whose `status` schema does not keep unknown fields makes the API prune
 * what the operator stores there (handler results, progress), silently: Kopf's
 * most reported surprise. The operator compares what it merge-patched with what
 * the API stored, and says so at warning level, naming the lost fields.
 */
import { type Body, type KubernetesObject, on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { kopfExampleCrd } from '../support/crds.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

function crdWithStatus(status: Record<string, unknown>): KubernetesObject {
  const spec = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return kopfExampleCrd({ type: 'object', properties: { spec, status } });
}

const STRICT_STATUS_CRD = crdWithStatus({ type: 'object', properties: { phase: { type: 'string' } } });

describe('results in a status that the CRD schema prunes', () => {
  it('are reported as inconsistencies at warning level, naming the field', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {
      return { message: 'hello' };
    });
    run = await runOperator({ registry, apply: STRICT_STATUS_CRD });
    await run.cluster.apply({
      apiVersion: 'kopf.dev/v1',
      kind: 'KopfExample',
      metadata: { name: 'pruned', namespace: 'default' },
      spec: { field: 'value' },
    });
    const line = await run.waitForLog(
      /\[default\/pruned\] Merge-patching finished with inconsistencies: /,
      15,
    );
    expect(line).toContain('"create_fn"');
    const stored = await run.cluster.get<Body>({
      resource: 'kopfexamples',
      name: 'pruned',
      namespace: 'default',
    });
    expect(stored?.status?.create_fn).toBeUndefined();
    expect(run.lines('warning').filter((l) => l.includes('inconsistencies'))).toHaveLength(1);
  });

  it('are not reported when the schema keeps them', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {
      return { message: 'hello' };
    });
    const preserving = crdWithStatus({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    run = await runOperator({ registry, apply: preserving });
    await run.cluster.apply({
      apiVersion: 'kopf.dev/v1',
      kind: 'KopfExample',
      metadata: { name: 'kept', namespace: 'default' },
      spec: { field: 'value' },
    });
    await run.waitForLog('[default/kept] Creation is processed: 1 succeeded; 0 failed.');
    await run.cluster.waitFor<Body>(
      { resource: 'kopfexamples', name: 'kept', namespace: 'default' },
      (object) => object?.status?.create_fn !== undefined,
    );
    expect(run.lines('warning')).toEqual([]);
  });
});
