import { describe, expect, it } from 'vitest';
import { builtinSchema, customResourceSchema } from './field-schemas.js';
import { applyConfiguration, type ManagedWrite, recordUpdate } from './managed-fields.js';
import type { JsonObject } from './objects.js';
import type { StatusError } from './statuses.js';

const crSchema = customResourceSchema({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
        },
        tags: { type: 'array', items: { type: 'string' } },
      },
      'x-kubernetes-preserve-unknown-fields': true,
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
});

const now = new Date('2026-01-02T03:04:05Z');
const write = (manager: string, overrides: Partial<ManagedWrite> = {}): ManagedWrite => ({
  manager,
  apiVersion: 'kopf.dev/v1',
  subresource: '',
  schema: crSchema,
  ignored: ['status'],
  now,
  ...overrides,
});

function kex(spec: JsonObject, metadata: JsonObject = {}): JsonObject {
  return { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name: 'x', ...metadata }, spec };
}

function entries(object: JsonObject): JsonObject[] {
  return (object.metadata as { managedFields: JsonObject[] }).managedFields;
}

function conflictOf(action: () => unknown): StatusError {
  try {
    action();
  } catch (error) {
    return error as StatusError;
  }
  throw new Error('no conflict');
}

describe('updates', () => {
  it('a create owns everything it set, new maps included, but no system metadata', () => {
    const created = recordUpdate(
      undefined,
      kex({ a: 1 }, { uid: 'u', labels: { x: 'y' } }),
      write('kubectl-create'),
    );
    expect(entries(created)).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'kopf.dev/v1',
        time: '2026-01-02T03:04:05Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } }, 'f:spec': { '.': {}, 'f:a': {} } },
      },
    ]);
  });

  it('an update takes over what it changes and keeps its older fields; the other manager keeps the rest', () => {
    const created = recordUpdate(undefined, kex({ a: 1, b: 2 }), write('creator'));
    const patched = recordUpdate(created, { ...created, spec: { a: 10, b: 2, c: 3 } }, write('patcher'));
    const fields = Object.fromEntries(entries(patched).map((entry) => [entry.manager, entry.fieldsV1]));
    expect(fields).toEqual({
      creator: { 'f:spec': { '.': {}, 'f:b': {} } },
      patcher: { 'f:spec': { 'f:a': {}, 'f:c': {} } },
    });
  });

  it('a no-op update records nothing new (no time bump)', () => {
    const created = recordUpdate(undefined, kex({ a: 1 }), write('creator'));
    const again = recordUpdate(created, created, write('creator', { now: new Date('2030-01-01T00:00:00Z') }));
    expect(entries(again)).toEqual(entries(created));
  });

  it('status changes on the main resource are not owned', () => {
    const created = recordUpdate(undefined, { ...kex({ a: 1 }), status: { s: 1 } }, write('creator'));
    expect(entries(created)[0]?.fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:a': {} } });
  });
});

describe('apply', () => {
  it('creates with an Apply entry that owns only leaves and keyed items', () => {
    const config = kex({ a: 1, ports: [{ name: 'http', port: 80 }], tags: ['x'] }, { labels: { l: 'v' } });
    const applied = applyConfiguration(undefined, config, write('kubectl'), false);
    expect(applied.spec).toEqual({ a: 1, ports: [{ name: 'http', port: 80 }], tags: ['x'] });
    expect(entries(applied)).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'kopf.dev/v1',
        time: '2026-01-02T03:04:05Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:l': {} } },
          'f:spec': {
            'f:a': {},
            'f:ports': { 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} } },
            'f:tags': {},
          },
        },
      },
    ]);
  });

  it('conflicts with another applier on a different value; the same value is shared', () => {
    const first = applyConfiguration(undefined, kex({ a: 1, b: 1 }), write('one'), false);
    const shared = applyConfiguration(first, kex({ a: 1 }), write('two'), false);
    // The second applier changed nothing, so its entry has no time and sorts first, as in kube.
    expect(entries(shared).map((entry) => [entry.manager, entry.time])).toEqual([
      ['two', undefined],
      ['one', '2026-01-02T03:04:05Z'],
    ]);
    const error = conflictOf(() => applyConfiguration(shared, kex({ a: 2, b: 2 }), write('two'), false));
    expect(error.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Apply failed with 2 conflicts: conflicts with "one":\n- .spec.a\n- .spec.b',
      details: {
        causes: [
          { type: 'FieldManagerConflict', message: 'conflict with "one"', field: '.spec.a' },
          { type: 'FieldManagerConflict', message: 'conflict with "one"', field: '.spec.b' },
        ],
      },
    });
  });

  it('names an updater with its API version; force takes the field over', () => {
    const applied = applyConfiguration(undefined, kex({ a: 1 }), write('kubectl'), false);
    const patched = recordUpdate(applied, { ...applied, spec: { a: 5 } }, write('kubectl-patch'));
    const error = conflictOf(() => applyConfiguration(patched, kex({ a: 1 }), write('kubectl'), false));
    expect(error.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-patch" using kopf.dev/v1: .spec.a',
    );
    const forced = applyConfiguration(patched, kex({ a: 1 }), write('kubectl'), true);
    expect(forced.spec).toEqual({ a: 1 });
    expect(entries(forced).map((entry) => entry.manager)).toEqual(['kubectl']);
  });

  it('removes what the applier stopped applying, unless another manager owns it', () => {
    const applied = applyConfiguration(undefined, kex({ a: 1, b: 1, c: 1 }), write('kubectl'), false);
    const touched = recordUpdate(applied, { ...applied, spec: { a: 1, b: 1, c: 2 } }, write('editor'));
    const reapplied = applyConfiguration(touched, kex({ a: 1 }), write('kubectl'), false);
    expect(reapplied.spec).toEqual({ a: 1, c: 2 });
    const emptied = applyConfiguration(
      applyConfiguration(undefined, kex({ a: 1 }), write('solo'), false),
      kex(undefined as unknown as JsonObject),
      write('solo'),
      false,
    );
    expect(emptied.spec).toBeUndefined();
  });

  it('merges keyed lists by key: shared items in the applied order, others where they were', () => {
    const live = applyConfiguration(
      undefined,
      kex({
        ports: [
          { name: 'a', port: 1 },
          { name: 'b', port: 2 },
        ],
      }),
      write('one'),
      false,
    );
    const withC = applyConfiguration(live, kex({ ports: [{ name: 'c', port: 3 }] }), write('two'), false);
    expect(withC.spec).toEqual({
      ports: [
        { name: 'a', port: 1 },
        { name: 'b', port: 2 },
        { name: 'c', port: 3 },
      ],
    });
    const reordered = applyConfiguration(
      withC,
      kex({
        ports: [
          { name: 'b', port: 2 },
          { name: 'a', port: 1 },
        ],
      }),
      write('one'),
      false,
    );
    expect((reordered.spec as { ports: { name: string }[] }).ports.map((port) => port.name)).toEqual([
      'b',
      'c',
      'a',
    ]);
  });

  it('merges finalizers as a set and conflicts on a keyed item with its key in the path', () => {
    const schema = builtinSchema('', 'Service');
    const svc = (ports: JsonObject[], finalizers: string[]): JsonObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', finalizers },
      spec: { ports },
    });
    const options = { apiVersion: 'v1', schema, ignored: ['status'] };
    const first = applyConfiguration(
      undefined,
      svc([{ port: 80, protocol: 'TCP', name: 'http' }], ['a']),
      write('one', options),
      false,
    );
    const second = applyConfiguration(first, svc([], ['b']), write('two', options), false);
    expect((second.metadata as JsonObject).finalizers).toEqual(['a', 'b']);
    const error = conflictOf(() =>
      applyConfiguration(
        second,
        svc([{ port: 80, protocol: 'TCP', name: 'web' }], []),
        write('two', options),
        false,
      ),
    );
    expect(error.message).toBe(
      'Apply failed with 1 conflict: conflict with "one": .spec.ports[port=80,protocol="TCP"].name',
    );
  });
});

describe('the field manager beyond plain apply', () => {
  it('caps Update entries at ten, merging the oldest into ancient-changes', () => {
    let object = recordUpdate(
      undefined,
      kex({ f0: 0 }),
      write('m0', { now: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)) }),
    );
    for (let index = 1; index < 12; index += 1) {
      const spec = { ...(object.spec as JsonObject), [`f${index}`]: index };
      object = recordUpdate(
        object,
        { ...object, spec },
        write(`m${index}`, { now: new Date(Date.UTC(2026, 0, 1, 0, 0, index)) }),
      );
    }
    const managers = entries(object).map((entry) => entry.manager);
    expect(managers).toHaveLength(10);
    expect(managers).not.toContain('m0');
    const ancient = entries(object).find((entry) => entry.manager === 'ancient-changes');
    expect(ancient).toMatchObject({
      time: '2026-01-01T00:00:02Z',
      fieldsV1: { 'f:spec': { '.': {}, 'f:f0': {}, 'f:f1': {}, 'f:f2': {} } },
    });
  });

  it('lets kubectl take over from client-side apply where the last-applied values still hold', () => {
    const lastApplied = JSON.stringify(kex({ a: 1, b: 1 }));
    const annotated = { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied };
    const created = recordUpdate(
      undefined,
      kex({ a: 1, b: 1 }, { annotations: annotated }),
      write('kubectl-client-side-apply'),
    );
    const applied = applyConfiguration(created, kex({ a: 2, b: 2 }), write('kubectl'), false);
    expect(applied.spec).toEqual({ a: 2, b: 2 });
    expect((applied.metadata as JsonObject).annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration':
        '{"apiVersion":"kopf.dev/v1","kind":"KopfExample","metadata":{"name":"x"},"spec":{"a":2,"b":2}}\n',
    });
    expect(() => applyConfiguration(created, kex({ a: 2 }), write('someone-else'), false)).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using kopf.dev/v1: .spec.a',
    );
    const edited = recordUpdate(
      created,
      { ...created, spec: { a: 5, b: 1 } },
      write('kubectl-client-side-apply'),
    );
    expect(() => applyConfiguration(edited, kex({ a: 2, b: 2 }), write('kubectl'), false)).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using kopf.dev/v1: .spec.a',
    );
  });
});
