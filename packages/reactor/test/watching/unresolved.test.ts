import { on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('resources that cannot be served', () => {
  it('are named in a warning when no resource matches (a typo, or a CRD not created yet)', async () => {
    const registry = new Registry();
    on.create('kopfexampels', { registry }, function create_fn() {});
    on.create('kopfexamples', { registry }, function create_ok() {});
    run = await runOperator({ registry, apply: CRD });
    const line = await run.waitForLog('Unresolved resources cannot be served');
    expect(line).toBe('Unresolved resources cannot be served (try creating their CRDs): kopfexampels');
    expect(run.lines('warning').filter((l) => l.startsWith('Unresolved'))).toHaveLength(1);
  });
});
