import { on, Registry } from '@kopf/core';
import { freezeOperators, PEERING_YAML, resumeOperators } from '@kopf/reactor';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, eventually, OBJ } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('freezing and resuming operators (kopf freeze / kopf resume)', () => {
  it('pauses the operator and its daemons, and resumes both', async () => {
    const registry = new Registry();
    const log: string[] = [];
    on.daemon('kopfexamples', { registry }, async function lasting({ stopped }) {
      log.push('start');
      await stopped.wait();
      log.push(String(stopped.reason));
    });
    run = await runOperator({ registry, apply: CRD, liveness: 'http://127.0.0.1:0/healthz' });
    await run.cluster.apply(PEERING_YAML.pathname);
    const lifecycle: string[] = [];
    run.operator.on('paused', () => lifecycle.push('paused'));
    run.operator.on('resumed', () => lifecycle.push('resumed'));
    await run.cluster.apply(OBJ);
    await eventually(() => log.length === 1, 'the daemon starts');

    const client = run.cluster.client;
    await freezeOperators(client, { peering: 'default', lifetime: 60, identity: 'admin@laptop' });
    await eventually(() => log.length === 2, 'the daemon stops');
    expect(run.operator.paused).toBe(true);
    const readiness = `${run.operator.livenessUrl}/readyz`;
    expect((await fetch(readiness)).status).toBe(503);
    expect((await fetch(`${run.operator.livenessUrl}/healthz`)).status).toBe(200); // alive, only paused
    await run.waitForLog('Pausing operations in favour of admin@laptop (priority 100).');

    await resumeOperators(client, { peering: 'default', identity: 'admin@laptop' });
    await eventually(() => log.length === 3, 'the daemon starts again');
    expect(log).toEqual(['start', 'operator-pausing', 'start']);
    expect(lifecycle).toEqual(['paused', 'resumed']);
    await eventually(async () => (await fetch(readiness)).status === 200, 'ready again');
  });
});
