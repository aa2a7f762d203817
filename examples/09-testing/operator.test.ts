import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js'; // registers the handlers into the default registry

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop(); // also fails the test if the operator failed outside of its handlers
});

describe('09-testing', () => {
  it('handles an object: its status and its log lines', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    const object = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);
    expect(object?.status?.create_fn).toEqual({ message: 'Lasts 1m.' });
    await run.waitForLog('[default/kopf-example-1] Something was logged here: retry=0.');
  });

  it('retries until the object is right', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ_WITHOUT_DURATION);
    await run.waitForLog("Handler 'create_fn' failed temporarily: spec.duration is missing");
    await run.cluster.patch(EXAMPLE, { spec: { duration: '5m' } });
    const object = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);
    expect(object?.status?.create_fn).toEqual({ message: 'Lasts 5m.' });
  });
});

const OBJ_WITHOUT_DURATION: Body = {
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: { name: 'kopf-example-1' },
  spec: { field: 'value' },
};
