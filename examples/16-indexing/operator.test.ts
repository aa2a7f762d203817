import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

const pod = (name: string): Body => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

describe('16-indexing', () => {
  it('keeps the index of pods in sync and shows it to the timer', async () => {
    run = await runOperator({ apply: pod('pod-a') });
    await run.cluster.apply(CRD);
    await run.cluster.apply(OBJ);
    await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => JSON.stringify(o?.status?.report_pods) === '{"pods":["pod-a"]}',
    );
    await run.cluster.apply(pod('pod-b'));
    await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => JSON.stringify(o?.status?.report_pods) === '{"pods":["pod-a","pod-b"]}',
    );
    await run.cluster.delete({ resource: 'pods', name: 'pod-a' });
    const last = await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => JSON.stringify(o?.status?.report_pods) === '{"pods":["pod-b"]}',
    );
    expect(last?.status?.report_pods).toEqual({ pods: ['pod-b'] });
  });
});
