import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

const POD: Body = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'kopf-pod-1', namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
};

describe('10-builtins', () => {
  it('handles pods without adding a finalizer for the optional delete handler', async () => {
    run = await runOperator({ namespaces: ['default'] });
    await run.cluster.apply(POD);
    await run.waitForLog('[default/kopf-pod-1] Pod kopf-pod-1 is created; it has 30 seconds to live.');
    const pod = await run.cluster.get<Body>({ resource: 'pods', name: 'kopf-pod-1' });
    expect(pod?.metadata?.finalizers).toBeUndefined();
    await run.cluster.delete({ resource: 'pods', name: 'kopf-pod-1' });
    await run.cluster.waitFor({ resource: 'pods', name: 'kopf-pod-1' }, (o) => o === undefined);
  });
});
