import type { Body, ProgressRecord, ProgressStorage } from '@kopf/core';
import { Patch } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import {
  AnnotationsProgressStorage,
  encodeProgressRecord,
  MultiProgressStorage,
  SmartProgressStorage,
  StatusProgressStorage,
} from './progress.js';
import { ProgressRecordError } from './storage-errors.js';

// Records of Kopf's tests/persistence/test_storing_of_progress.py.
const RECORD_1: ProgressRecord = {
  started: '2020-01-01T00:00:00',
  stopped: '2020-12-31T23:59:59',
  delayed: '3000-01-01T00:00:00',
  retries: 123,
  success: false,
  failure: false,
  message: null,
  subrefs: null,
};
const RECORD_2: ProgressRecord = {
  started: '2021-01-01T00:00:00',
  stopped: '2021-12-31T23:59:59',
  delayed: '3001-01-01T00:00:00',
  retries: 456,
  success: false,
  failure: false,
  message: 'Some error.',
  subrefs: ['sub1', 'sub2'],
};
// What Python's json.dumps(record, separators=(',', ':')) gives for them (verbose: nulls kept).
const JSON_1 =
  '{"started":"2020-01-01T00:00:00","stopped":"2020-12-31T23:59:59","delayed":"3000-01-01T00:00:00",' +
  '"retries":123,"success":false,"failure":false,"message":null,"subrefs":null}';
const JSON_2 =
  '{"started":"2021-01-01T00:00:00","stopped":"2021-12-31T23:59:59","delayed":"3001-01-01T00:00:00",' +
  '"retries":456,"success":false,"failure":false,"message":"Some error.","subrefs":["sub1","sub2"]}';

const PREFIX = 'my-operator.example.com';
const withAnnotations = (annotations: Record<string, string>): Body => ({ metadata: { annotations } });

describe('encodeProgressRecord', () => {
  it('writes Kopf field order, no spaces, nulls omitted unless verbose', () => {
    const record: ProgressRecord = {
      message: 'not yet',
      retries: 1,
      started: '2020-12-31T23:59:59.123456+00:00',
    };
    expect(encodeProgressRecord({ ...record, success: false, failure: null })).toBe(
      '{"started":"2020-12-31T23:59:59.123456+00:00","retries":1,"success":false,"message":"not yet"}',
    );
    expect(encodeProgressRecord(RECORD_1, true)).toBe(JSON_1);
    expect(encodeProgressRecord({ started: null, retries: null })).toBe('{}');
  });
});

describe.each([
  ['AnnotationsProgressStorage', (o = {}) => new AnnotationsProgressStorage({ prefix: PREFIX, ...o })],
  ['SmartProgressStorage', (o = {}) => new SmartProgressStorage({ prefix: PREFIX, ...o })],
] as const)('%s (annotations)', (_, make) => {
  it('reads a record and nothing from an empty body', () => {
    const storage = make();
    expect(storage.fetch('id1', withAnnotations({ [`${PREFIX}/id1`]: JSON_1 }))).toEqual(RECORD_1);
    expect(storage.fetch('id1', {})).toBeUndefined();
  });

  it('writes compact JSON (verbose keeps nulls), and the last write wins', () => {
    const storage = make({ verbose: true });
    const patch = new Patch();
    storage.store('id1', RECORD_1, {}, patch);
    storage.store('id2', RECORD_1, {}, patch);
    storage.store('id2', RECORD_2, {}, patch);
    expect(patch.toMergePatch()).toEqual({
      metadata: {
        annotations: {
          [`${PREFIX}/id1`]: JSON_1,
          [`${PREFIX}/id2`]: JSON_2,
          [`${PREFIX}/kopf-managed`]: 'yes',
        },
      },
    });
  });

  it('writes {} for a record of nulls when not verbose', () => {
    const patch = new Patch();
    make().store('id1', { started: null, retries: null, message: null }, {}, patch);
    expect(patch.metadata.annotations[`${PREFIX}/id1`]).toBe('{}');
  });

  it('nulls a stored record on purge, and takes back one only written into the patch', () => {
    const storage = make();
    const stored = new Patch();
    storage.purge('id1', withAnnotations({ [`${PREFIX}/id1`]: JSON_1 }), stored);
    expect(stored.metadata.annotations[`${PREFIX}/id1`]).toBeNull();

    const fresh = new Patch();
    fresh.metadata.annotations[`${PREFIX}/id1`] = JSON_1;
    storage.purge('id1', {}, fresh);
    storage.purge('id2', {}, fresh);
    expect(fresh.isEmpty).toBe(true);
  });

  it('touches the dummy only when the value differs', () => {
    const storage = make({ touchKey: 'my-dummy' });
    const key = `${PREFIX}/my-dummy`;
    const patch = new Patch();
    storage.touch(withAnnotations({ [key]: 'something' }), patch, 'hello');
    expect(patch.metadata.annotations[key]).toBe('hello');

    const none = new Patch();
    storage.touch({}, none, undefined);
    storage.touch(withAnnotations({ [key]: 'same' }), none, 'same');
    expect(none.isEmpty).toBe(true);

    const removal = new Patch();
    storage.touch(withAnnotations({ [key]: 'something' }), removal, undefined);
    expect(removal.metadata.annotations[key]).toBeNull();
  });

  it('finds, writes and purges hashed keys for long ids', () => {
    const storage = make();
    const id = 'x'.repeat(64);
    // Both computed with Kopf's make_v2_key / make_v1_key.
    const [v2, v1] = new AnnotationsProgressStorage({ prefix: PREFIX }).keysFor(id);
    expect([v2, v1]).toEqual([`${PREFIX}/${'x'.repeat(56)}-SItAqA`, `${PREFIX}/${'x'.repeat(32)}-SItAqA`]);
    expect(storage.fetch(id, withAnnotations({ [v1 as string]: JSON_1 }))).toEqual(RECORD_1);
    const patch = new Patch();
    storage.store(id, RECORD_2, {}, patch);
    expect(Object.keys(patch.metadata.annotations)).toEqual([v2, v1, `${PREFIX}/kopf-managed`]);
  });

  it('fails on a record edited into something unreadable, naming the key and the object', () => {
    const body = { metadata: { name: 'obj', namespace: 'ns', annotations: { [`${PREFIX}/id1`]: '{oops' } } };
    expect(() => make().fetch('id1', body)).toThrow(ProgressRecordError);
    expect(() => make().fetch('id1', body)).toThrow(`annotation ${PREFIX}/id1 of ns/obj`);
  });

  it('clears every annotation of its prefix from an essence, without touching the input', () => {
    const essence = { spec: { a: 1 }, metadata: { annotations: { [`${PREFIX}/id1`]: '{}', other: 'x' } } };
    expect(make().clear(essence)).toEqual({ spec: { a: 1 }, metadata: { annotations: { other: 'x' } } });
    expect(make().clear({ metadata: { annotations: { [`${PREFIX}/x`]: 'y' } } })).toEqual({});
    expect(essence.metadata.annotations[`${PREFIX}/id1`]).toBe('{}');
  });
});

describe('StatusProgressStorage', () => {
  it('uses status.kopf.progress and status.kopf.dummy by default, with the name filled in', () => {
    expect([new StatusProgressStorage().field, new StatusProgressStorage().touchField]).toEqual([
      ['status', 'kopf', 'progress'],
      ['status', 'kopf', 'dummy'],
    ]);
    expect(new StatusProgressStorage({ name: 'my-op' }).field).toEqual(['status', 'my-op', 'progress']);
  });

  it('reads, writes whole records (nulls included) and purges', () => {
    const storage = new StatusProgressStorage({ field: 'status.my-operator' });
    const body = { status: { 'my-operator': { id1: RECORD_1, id2: RECORD_2 } } };
    expect(storage.fetch('id1', body)).toEqual(RECORD_1);
    expect(storage.fetch('id1', { status: { 'my-operator': 'corrupted' } })).toBeUndefined();
    const patch = new Patch();
    storage.store('id3', RECORD_1, body, patch);
    storage.purge('id2', body, patch);
    storage.purge('absent', body, patch);
    expect(patch.toMergePatch()).toEqual({ status: { 'my-operator': { id3: RECORD_1, id2: null } } });
  });

  it('takes back a record only written into the patch', () => {
    const storage = new StatusProgressStorage();
    const patch = new Patch();
    storage.store('some-id', { retries: 5 }, {}, patch);
    storage.purge('some-id', {}, patch);
    expect(patch.isEmpty).toBe(true);
  });

  it('touches its dummy field', () => {
    const storage = new StatusProgressStorage({ touchField: 'status.my-dummy' });
    const patch = new Patch();
    storage.touch({}, patch, 'hello');
    storage.touch({}, new Patch(), undefined);
    const removal = new Patch();
    storage.touch({ status: { 'my-dummy': 'something' } }, removal, undefined);
    expect([patch.toMergePatch(), removal.toMergePatch()]).toEqual([
      { status: { 'my-dummy': 'hello' } },
      { status: { 'my-dummy': null } },
    ]);
  });

  it('clears its field from an essence', () => {
    const essence = { status: { kopf: { progress: { a: {} } } }, spec: {} };
    expect(new StatusProgressStorage().clear(essence)).toEqual({ spec: {} });
  });
});

describe('SmartProgressStorage', () => {
  it('reads the legacy status when annotations have nothing, but never writes it', () => {
    const storage = new SmartProgressStorage();
    const legacy = { status: { kopf: { progress: { id1: RECORD_1 } } } };
    expect(storage.fetch('id1', legacy)).toEqual(RECORD_1);
    const patch = new Patch();
    storage.store('id1', RECORD_2, legacy, patch);
    storage.touch(legacy, patch, 'hello');
    expect(Object.keys(patch.toMergePatch())).toEqual(['metadata']);
  });

  it('prefers annotations over the legacy status, and purges both', () => {
    const storage = new SmartProgressStorage();
    const body = {
      metadata: { annotations: { 'kopf.zalando.org/id1': JSON_2 } },
      status: { kopf: { progress: { id1: RECORD_1 } } },
    };
    expect(storage.fetch('id1', body)).toEqual(RECORD_2);
    const patch = new Patch();
    storage.purge('id1', body, patch);
    expect(patch.toMergePatch()).toEqual({
      metadata: { annotations: { 'kopf.zalando.org/id1': null } },
      status: { kopf: { progress: { id1: null } } },
    });
  });
});

describe('MultiProgressStorage', () => {
  it('writes to all storages and reads the first that has a record', () => {
    const storages: ProgressStorage[] = [new AnnotationsProgressStorage(), new StatusProgressStorage()];
    const multi = new MultiProgressStorage(storages);
    const patch = new Patch();
    multi.store('fn', { retries: 1 }, {}, patch);
    expect(patch.toMergePatch()).toEqual({
      metadata: { annotations: { 'kopf.zalando.org/fn': '{"retries":1}' } },
      status: { kopf: { progress: { fn: { retries: 1 } } } },
    });
    expect(multi.fetch('fn', { status: { kopf: { progress: { fn: { retries: 2 } } } } })).toEqual({
      retries: 2,
    });
  });
});
