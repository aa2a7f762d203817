/**
 * Compatibility with Python Kopf 1.44 on the cluster: objects carrying the state
 * that Kopf writes (the measured values of the kopf-reference, sections 2.2, 2.3,
 * 2.12, and the shapes of Kopf's own tests) are read back into the same handler
 * states and essences, and what kopf-ts writes has Kopf's keys, field names,
 * field order, timestamps and separators. Only the package's public entry is used.
 */
import type { Body } from '@kopf/core';
import { Patch } from '@kopf/core';
import {
  AnnotationsDiffBaseStorage,
  AnnotationsProgressStorage,
  compareWithLastHandled,
  formatTimestamp,
  SmartProgressStorage,
  State,
  Timestamp,
} from '@kopf/reactor';
import { describe, expect, it } from 'vitest';

const progress = new SmartProgressStorage();
const diffbase = new AnnotationsDiffBaseStorage();

/** The object of Kopf's examples/obj.yaml as the API server returns it after `kubectl apply`. */
function kopfExample(annotations: Record<string, string> = {}, extra: Partial<Body> = {}): Body {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: {
      name: 'kopf-example-1',
      namespace: 'default',
      uid: '6a3f1a3e-0000-4000-8000-000000000001',
      resourceVersion: '1234',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
      finalizers: ['kopf.zalando.org/KopfFinalizerMarker'],
      labels: { somelabel: 'somevalue' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration':
          '{"apiVersion":"kopf.dev/v1","kind":"KopfExample"}\n',
        someannotation: 'somevalue',
        ...annotations,
      },
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    },
    spec: { duration: '1m', field: 'value', items: ['item1', 'item2'] },
    status: { create_fn: { message: 'hello world' } },
    ...extra,
  };
}

// Measured on the wire (kopf-reference 2.3): Kopf 1.44.6's diff-base of examples/obj.yaml.
const MEASURED_DIFFBASE =
  '{"spec":{"duration":"1m","field":"value","items":["item1","item2"]},' +
  '"metadata":{"labels":{"somelabel":"somevalue"},"annotations":{"someannotation":"somevalue"}}}\n';

// Times as Kopf prints them: Python isoformat with microseconds and +00:00.
const T0 = '2026-01-01T00:00:01.654321+00:00';
const T_DELAYED = '2026-01-01T00:00:03.654321+00:00'; // TemporaryError(delay=2) at T0
const AT_T0 = Timestamp.parse(T0).toDate();
const AFTER_DELAY = Timestamp.parse(T_DELAYED).toDate().getTime() + 1;

// The two-create-handler scenario of kopf-reference 2.12, as Kopf leaves it mid-way.
const KOPF_SUCCEEDED = `{"started":"${T0}","stopped":"${T0}","purpose":"create","retries":1,"success":true,"failure":false}`;
const KOPF_DELAYED = `{"started":"${T0}","delayed":"${T_DELAYED}","purpose":"create","retries":1,"success":false,"failure":false,"message":"not yet"}`;

function midCreation(): Body {
  return kopfExample({
    'kopf.zalando.org/create_a': KOPF_SUCCEEDED,
    'kopf.zalando.org/create_b': KOPF_DELAYED,
    'kopf.zalando.org/touch-dummy': '2026-01-01T00:00:03.700001+00:00',
  });
}

describe('reading what Kopf wrote', () => {
  it('builds the essence byte for byte as Kopf stored it, so a resumed object has no changes', () => {
    const body = kopfExample({ 'kopf.zalando.org/last-handled-configuration': MEASURED_DIFFBASE });
    const patch = new Patch();
    diffbase.store(body, patch, diffbase.build(body));
    expect(patch.metadata.annotations['kopf.zalando.org/last-handled-configuration']).toBe(MEASURED_DIFFBASE);
    const comparison = compareWithLastHandled(body, { diffbase, progress });
    expect([comparison.old, comparison.diff]).toEqual([comparison.new, []]);
  });

  it('ignores progress records, touch-dummies and other Kopf operators in change detection', () => {
    const body = midCreation();
    const annotations = body.metadata?.annotations ?? {};
    annotations['kopf.zalando.org/last-handled-configuration'] = MEASURED_DIFFBASE;
    annotations['other-op.example.com/kopf-managed'] = 'yes';
    annotations['other-op.example.com/last-handled-configuration'] = '{"spec":{}}\n';
    expect(compareWithLastHandled(body, { diffbase, progress }).diff).toEqual([]);
  });

  it('sees a real change against the diff-base Kopf stored', () => {
    const body = kopfExample(
      { 'kopf.zalando.org/last-handled-configuration': MEASURED_DIFFBASE },
      { spec: { duration: '1m', field: 'changed', items: ['item1', 'item2'] } },
    );
    expect(compareWithLastHandled(body, { diffbase, progress }).diff).toEqual([
      { operation: 'change', field: ['spec', 'field'], old: 'value', new: 'changed' },
    ]);
  });

  it('resumes mid-way: the succeeded handler is not re-run, the delayed one waits with its retry count', () => {
    const body = midCreation();
    const handlers = ['create_a', 'create_b'];
    const state = State.fromStorage({ body, storage: progress, handlers, now: AT_T0 })
      .withPurpose('create')
      .withHandlers(handlers, AT_T0);
    const [a, b] = [state.get('create_a'), state.get('create_b')];
    expect([a?.isFinished, a?.success, a?.isAwake(AT_T0)]).toEqual([true, true, false]);
    expect([b?.isFinished, b?.retries, b?.message, b?.isAwake(AT_T0), b?.isAwake(AFTER_DELAY)]).toEqual([
      false,
      1,
      'not yet',
      false,
      true,
    ]);
    expect(state.delay(AT_T0)).toBeCloseTo(2.000321, 6); // a JS Date holds .654 of Kopf's .654321
    expect([state.isDone, state.counts]).toEqual([false, { succeeded: 1, failed: 0, left: 1 }]);
  });

  it('compares delays with Kopf microseconds, not rounded to milliseconds', () => {
    const state = State.fromStorage({
      body: midCreation(),
      storage: progress,
      handlers: ['create_b'],
      now: AT_T0,
    })
      .withPurpose('create')
      .withHandlers(['create_b'], AT_T0);
    const justBefore = Timestamp.parse(T_DELAYED).toDate(); // .654 ms, while Kopf waits until .654321
    expect(state.get('create_b')?.isAwake(justBefore)).toBe(false);
    expect(state.delay(justBefore)).toBeCloseTo(0.000321, 6);
  });

  it('rewrites nothing it merely read', () => {
    const body = midCreation();
    const patch = new Patch();
    State.fromStorage({ body, storage: progress, handlers: ['create_a', 'create_b'], now: AT_T0 })
      .withPurpose('create')
      .withHandlers(['create_a', 'create_b'], AT_T0)
      .storeInto({ body, patch, storage: progress });
    expect(patch.isEmpty).toBe(true);
  });

  it('reads the legacy status.kopf.progress of classic Kopf (≤ 1.43), preferring annotations', () => {
    const legacy = {
      create_fn: {
        started: T0,
        purpose: 'create',
        retries: 2,
        success: false,
        failure: false,
        message: 'old',
      },
    };
    const body = kopfExample({}, { status: { kopf: { progress: legacy } } });
    const state = State.fromStorage({ body, storage: progress, handlers: ['create_fn'], now: AT_T0 });
    expect(state.get('create_fn')?.retries).toBe(2);
    const both = kopfExample(
      { 'kopf.zalando.org/create_fn': KOPF_SUCCEEDED },
      { status: { kopf: { progress: legacy } } },
    );
    const preferred = State.fromStorage({
      body: both,
      storage: progress,
      handlers: ['create_fn'],
      now: AT_T0,
    });
    expect(preferred.get('create_fn')?.success).toBe(true);
  });

  it('finds records of long ids under Kopf V1 keys (older Kopf) and V2 keys', () => {
    const id = 'update_fn/spec.some.very.long.field.name.that.goes.beyond.limits';
    const record = `{"started":"${T0}","purpose":"update","retries":3,"success":false,"failure":false}`;
    const v1Body = kopfExample({ 'kopf.zalando.org/update_fn.spec.some.very.long.field.nam-yuSFdg': record });
    const v2Body = kopfExample({
      'kopf.zalando.org/update_fn.spec.some.very.long.field.name.that.goes.beyon-gXpJNg': record,
    });
    for (const body of [v1Body, v2Body]) {
      const state = State.fromStorage({ body, storage: progress, handlers: [id], now: AT_T0 });
      expect(state.get(id)?.retries).toBe(3);
    }
  });

  it('reads sub-handler records and purges them with their parent', () => {
    const parent = `{"started":"${T0}","purpose":"create","retries":1,"success":false,"failure":false,"subrefs":["create_fn/item1","create_fn/item2"]}`;
    const child = `{"started":"${T0}","stopped":"${T0}","purpose":"create","retries":1,"success":true,"failure":false}`;
    const body = kopfExample({
      'kopf.zalando.org/create_fn': parent,
      'kopf.zalando.org/create_fn.item1': child,
      'kopf.zalando.org/create_fn.item2': child,
    });
    const state = State.fromStorage({ body, storage: progress, handlers: ['create_fn'], now: AT_T0 });
    expect(state.get('create_fn')?.subrefs).toEqual(['create_fn/item1', 'create_fn/item2']);
    const patch = new Patch();
    state.purgeFrom({ body, patch, storage: progress, handlers: ['create_fn'] });
    expect(patch.toMergePatch()).toEqual({
      metadata: {
        annotations: {
          'kopf.zalando.org/create_fn': null,
          'kopf.zalando.org/create_fn.item1': null,
          'kopf.zalando.org/create_fn.item2': null,
        },
      },
    });
  });

  it('uses the -ofDRS keys on ReplicaSets of Deployments', () => {
    const body: Body = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u' }],
        annotations: {
          'kopf.zalando.org/create_fn': KOPF_DELAYED, // propagated from the Deployment: not ours
          'kopf.zalando.org/create_fn-ofDRS': KOPF_SUCCEEDED,
          'kopf.zalando.org/last-handled-configuration-ofDRS': '{"spec":{"replicas":1}}\n',
        },
      },
      spec: { replicas: 1 },
    };
    const state = State.fromStorage({ body, storage: progress, handlers: ['create_fn'], now: AT_T0 });
    expect([state.get('create_fn')?.success, diffbase.fetch(body)]).toEqual([
      true,
      { spec: { replicas: 1 } },
    ]);
  });
});

describe('writing what Kopf reads', () => {
  const KEY_PATTERN = /^kopf\.zalando\.org\/[A-Za-z0-9._-]{1,63}$/;
  const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

  it('writes progress records as Kopf does for a temporary error (the measured JSON of 2.2)', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 1, 654);
    const later = now + 2000;
    const patch = new Patch();
    const body = kopfExample();
    State.fromStorage({ body, storage: progress, handlers: ['create_a', 'create_b'], now })
      .withPurpose('create')
      .withHandlers(['create_a', 'create_b'], now)
      .withOutcomes(
        { create_a: { final: true }, create_b: { final: false, delay: 2, error: new Error('not yet') } },
        now,
      )
      .storeInto({ body, patch, storage: progress });
    const annotations = patch.toMergePatch().metadata as { annotations: Record<string, string> };
    expect(Object.keys(annotations.annotations)).toEqual([
      'kopf.zalando.org/create_a',
      'kopf.zalando.org/create_b',
    ]);
    expect(Object.keys(patch.toMergePatch())).toEqual(['metadata']); // annotations only, as Kopf 1.44
    const started = formatTimestamp(now);
    expect(annotations.annotations['kopf.zalando.org/create_b']).toBe(
      `{"started":"${started}","delayed":"${formatTimestamp(later)}","purpose":"create","retries":1,` +
        '"success":false,"failure":false,"message":"not yet"}',
    );
    expect(annotations.annotations['kopf.zalando.org/create_a']).toBe(
      `{"started":"${started}","stopped":"${started}","purpose":"create","retries":1,"success":true,"failure":false}`,
    );
    for (const [key, text] of Object.entries(annotations.annotations)) {
      const record = JSON.parse(text) as Record<string, unknown>;
      expect(key).toMatch(KEY_PATTERN);
      expect(text).toBe(JSON.stringify(record)); // compact, in the order written
      for (const field of ['started', 'stopped', 'delayed']) {
        if (record[field] !== undefined) expect(record[field]).toMatch(TIME_PATTERN);
      }
    }
  });

  it('purges all records and stores the diff-base when the cause is done, removing the touch-dummy', () => {
    const body = midCreation();
    const patch = new Patch();
    const handlers = ['create_a', 'create_b'];
    const state = State.fromStorage({ body, storage: progress, handlers, now: AFTER_DELAY })
      .withPurpose('create')
      .withHandlers(handlers, AFTER_DELAY)
      .withOutcomes({ create_b: { final: true } }, AFTER_DELAY);
    state.storeInto({ body, patch, storage: progress });
    expect(state.isDone).toBe(true);
    state.purgeFrom({ body, patch, storage: progress, handlers });
    diffbase.store(body, patch, compareWithLastHandled(body, { diffbase, progress }).new);
    progress.touch(body, patch, undefined);
    expect(patch.toMergePatch()).toEqual({
      metadata: {
        annotations: {
          'kopf.zalando.org/create_b': null,
          'kopf.zalando.org/create_a': null,
          'kopf.zalando.org/last-handled-configuration': MEASURED_DIFFBASE,
          'kopf.zalando.org/touch-dummy': null,
        },
      },
    });
  });

  it('escapes non-ASCII messages exactly as Python json.dumps', () => {
    const patch = new Patch();
    new AnnotationsProgressStorage().store('fn', { retries: 1, message: 'não está pronto — 🕐' }, {}, patch);
    expect(patch.metadata.annotations['kopf.zalando.org/fn']).toBe(
      '{"retries":1,"message":"n\\u00e3o est\\u00e1 pronto \\u2014 \\ud83d\\udd50"}',
    );
  });

  it('writes both V2 and V1 keys for long ids, as Kopf with v1=True', () => {
    const patch = new Patch();
    new AnnotationsProgressStorage().store(
      'update_fn/spec.some.very.long.field.name.that.goes.beyond.limits',
      { retries: 1 },
      {},
      patch,
    );
    expect(Object.keys(patch.metadata.annotations)).toEqual([
      'kopf.zalando.org/update_fn.spec.some.very.long.field.name.that.goes.beyon-gXpJNg',
      'kopf.zalando.org/update_fn.spec.some.very.long.field.nam-yuSFdg',
    ]);
  });
});
