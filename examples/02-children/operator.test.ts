import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('02-children', () => {
  it('creates a Pod owned by the object', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    const parent = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);
    const result = (parent?.status?.create_fn ?? {}) as Record<string, string>;
    const podName = result['pod-name'] ?? '';
    const pod = await run.cluster.get<Body>({ resource: 'pods', name: podName });
    expect(pod?.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'KopfExample', name: 'kopf-example-1', uid: parent?.metadata?.uid }),
    ]);
    expect(pod?.metadata?.labels).toEqual({ somelabel: 'somevalue' });
  });
});
