import type { Body } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;

beforeAll(async () => {
  // The operator serves the admission handlers itself and is ready once its webhooks are configured.
  run = await runOperator({ apply: CRD });
});

afterAll(async () => {
  await run?.stop();
});

describe('17-admission', () => {
  it('mutates what matches the label filter', async () => {
    await run?.cluster.apply(OBJ);
    const stored = await run?.cluster.get<Body>(EXAMPLE);
    expect(stored?.spec).toMatchObject({ field: 'value', injected: 123 });
  });

  it('rejects with the handler message', async () => {
    await expect(run?.cluster.patch(EXAMPLE, { spec: { field: 'wrong' } })).rejects.toThrow(
      'admission webhook "validate1.auto.kopf.dev" denied the request: Meh! I don\'t like it. Change the field.',
    );
  });

  it('rejects with the code of the AdmissionError', async () => {
    const failure = await run?.cluster
      .patch(EXAMPLE, { spec: { field: 'not-allowed' } })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 422,
      message: expect.stringContaining("I'm too lazy anyway. Go away!"),
    });
  });

  it('checks the status subresource too', async () => {
    await expect(run?.cluster.patch(EXAMPLE, { status: { field: 'other' } })).rejects.toThrow(
      'admission webhook "validate-subresources.auto.kopf.dev" denied the request: status.field MUST be equal to spec.field!',
    );
    const stored = await run?.cluster.get<Body>(EXAMPLE);
    expect(stored?.spec?.field).toBe('value');
    expect(stored?.status?.field).toBeUndefined();
  });
});
