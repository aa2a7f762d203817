import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../support.js';
import './operator.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
});

describe('11-filtering-handlers', () => {
  it('runs exactly the handlers whose filters match', async () => {
    run = await runOperator({ apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog('Creation is processed: 6 succeeded; 0 failed.');
    await run.cluster.patch(EXAMPLE, { spec: { field: 'changed' } });
    await run.waitForLog('Updating is processed: 1 succeeded; 0 failed.');
    const lines = run.lines('info').map((line) => line.replace('[default/kopf-example-1] ', ''));
    expect(lines.filter((line) => !line.startsWith('Handler') && !line.includes(' is processed'))).toEqual(
      expect.arrayContaining([
        'Label value matches.',
        'Label is present.',
        'Label is absent.',
        'Annotation callback matches.',
        'The `when` callback matches.',
        'Field value matches.',
        'Field changed from "value" to "changed".',
      ]),
    );
    expect(lines.some((line) => line.includes('never printed'))).toBe(false);
  });
});
