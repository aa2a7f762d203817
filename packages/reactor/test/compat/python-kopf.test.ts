import { type Body, on, Registry } from '@kopf/core';
import { FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually } from '../talk/support.js';

/**
 * Objects as Python Kopf 1.44 leaves them on a cluster (the reference's measured
 * formats): a team replaces a Python operator with a kopf-ts one, and nothing re-runs.
 */
const FINALIZER = 'kopf.zalando.org/KopfFinalizerMarker';
const SPEC = { duration: '1m', field: 'value', items: ['item1', 'item2'] };
const ESSENCE =
  '{"spec":{"duration":"1m","field":"value","items":["item1","item2"]},' +
  '"metadata":{"labels":{"somelabel":"somevalue"},"annotations":{"someannotation":"somevalue"}}}\n';

function object(annotations: Record<string, string>): Body {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: {
      name: 'kopf-example-1',
      namespace: 'default',
      labels: { somelabel: 'somevalue' },
      annotations: { someannotation: 'somevalue', ...annotations },
      finalizers: [FINALIZER],
    },
    spec: SPEC,
  };
}

let server: FakeApiServer | undefined;
let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  await server?.stop();
  run = server = undefined;
});

describe('taking over objects from Python Kopf', () => {
  it('continues a creation half-done by Kopf: the succeeded handler is not re-run, the delayed one keeps its retries', async () => {
    const calls: string[] = [];
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn_1() {
      calls.push('create_fn_1');
    });
    on.create('kopfexamples', { registry }, function create_fn_2({ retry }) {
      calls.push(`create_fn_2 retry=${retry}`);
    });
    server = await FakeApiServer.start();
    const setup = await runOperator({ registry: new Registry(), server, apply: CRD });
    await setup.cluster.apply(
      object({
        'kopf.zalando.org/create_fn_1':
          '{"started":"2026-01-01T10:00:00.000000+00:00","stopped":"2026-01-01T10:00:00.100000+00:00","purpose":"create","retries":1,"success":true,"failure":false}',
        'kopf.zalando.org/create_fn_2':
          '{"started":"2026-01-01T10:00:00.000000+00:00","delayed":"2026-01-01T10:00:01.000000+00:00","purpose":"create","retries":1,"success":false,"failure":false,"message":"not yet"}',
      }),
    );
    await setup.stop();

    run = await runOperator({ registry, server });
    await run.waitForLog('Creation is processed: 2 succeeded; 0 failed.');
    expect(calls).toEqual(['create_fn_2 retry=1']);
    const stored = await run.cluster.waitFor<Body>(
      EXAMPLE,
      (o) => o?.metadata?.annotations?.['kopf.zalando.org/last-handled-configuration'] !== undefined,
    );
    // What we write is Kopf's: the same diff-base, byte for byte, and the records purged.
    expect(stored?.metadata?.annotations?.['kopf.zalando.org/last-handled-configuration']).toBe(ESSENCE);
    expect(Object.keys(stored?.metadata?.annotations ?? {}).filter((k) => k.includes('create_fn'))).toEqual(
      [],
    );
  });

  it('resumes an object fully handled by Kopf without re-running creation and without a PATCH', async () => {
    const calls: string[] = [];
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {
      calls.push('create');
    });
    on.resume('kopfexamples', { registry }, function resume_fn() {
      calls.push('resume');
    });
    on.delete('kopfexamples', { registry }, function delete_fn() {});
    server = await FakeApiServer.start();
    const setup = await runOperator({ registry: new Registry(), server, apply: CRD });
    await setup.cluster.apply(object({ 'kopf.zalando.org/last-handled-configuration': ESSENCE }));
    await setup.stop();

    const patchesBefore = server.counters.get({ verb: 'patch', resource: 'kopfexamples' });
    run = await runOperator({ registry, server });
    await eventually(() => calls.includes('resume'), 'the resume handler ran');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toEqual(['resume']);
    expect(server.counters.get({ verb: 'patch', resource: 'kopfexamples' }) - patchesBefore).toBe(0);
  });
});
