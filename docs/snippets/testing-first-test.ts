import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, expect, it } from 'vitest';
import './testing-operator.js'; // the operator: its on.* calls register the handlers

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop(); // also fails the test if the operator failed outside its handlers
});

it('stores the result of the create handler', async () => {
  run = await runOperator({ apply: 'crd.yaml' }); // a fake API server, the CRD, the operator
  await run.cluster.apply({
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name: 'kopf-example-1' },
    spec: { duration: '1m' },
  });
  const object = await run.cluster.waitFor<Body>(
    { resource: 'kopfexamples', name: 'kopf-example-1' },
    (o) => o?.status?.create_fn !== undefined,
  );
  expect(object?.status?.create_fn).toEqual({ message: 'Lasts 1m.' });
  await run.waitForLog("Handler 'create_fn' succeeded.");
});
