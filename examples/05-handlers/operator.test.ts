import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('05-handlers', () => {
  it('runs each handler once for its cause, with the right old and new', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Creation is processed: 3 succeeded; 0 failed.');
    await run.cluster.patch(EXAMPLE, { spec: { field: 'changed' } });
    await run.waitForLog('Updating is processed: 2 succeeded; 0 failed.');
    await run.cluster.delete(EXAMPLE);
    await run.waitForLog('Deletion is processed: 1 succeeded; 0 failed.');
    const lines = run.lines('info').map((line) => line.replace('[default/kopf-example-1] ', ''));
    expect(lines).toEqual(
      expect.arrayContaining([
        'CREATED 1st: field is "value"',
        'CREATED 2nd: name is kopf-example-1',
        'FIELD CHANGED: undefined -> value',
        'FIELD CHANGED: value -> changed',
        expect.stringMatching(
          /^UPDATED: .*"field":"value".* -> .*"field":"changed".*; diff: \[\{"operation":"change"/,
        ),
        'DELETED 1st',
      ]),
    );
    expect(lines.filter((line) => line.startsWith('RESUMED'))).toEqual([]);
  });
});
