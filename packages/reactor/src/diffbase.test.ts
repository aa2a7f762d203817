import type { BodyEssence } from '@kopf/core';
import { Patch } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import {
  AnnotationsDiffBaseStorage,
  compareWithLastHandled,
  MultiDiffBaseStorage,
  StatusDiffBaseStorage,
} from './diffbase.js';
import { AnnotationsProgressStorage, SmartProgressStorage } from './progress.js';
import { DiffBaseRecordError } from './storage-errors.js';

// Essences of Kopf's tests/persistence/test_storing_of_diffbase.py and their json.dumps.
const ESSENCE_1: BodyEssence = {
  spec: {
    'string-field': 'value1',
    'integer-field': 123,
    'float-field': 123.456,
    'false-field': false,
    'true-field': true,
  },
};
const JSON_1 =
  '{"spec":{"string-field":"value1","integer-field":123,"float-field":123.456,"false-field":false,"true-field":true}}';
const ESSENCE_2: BodyEssence = { spec: { hello: 'world', 'the-cake': false } };
const JSON_2 = '{"spec":{"hello":"world","the-cake":false}}';

const dual = () =>
  new MultiDiffBaseStorage([
    new AnnotationsDiffBaseStorage({ prefix: 'my-operator.example.com', key: 'diff-base' }),
    new StatusDiffBaseStorage({ field: 'status.my-operator.diff-base' }),
  ]);

describe('AnnotationsDiffBaseStorage', () => {
  const storage = new AnnotationsDiffBaseStorage({ prefix: 'my-operator.example.com', key: 'diff-base' });
  const key = 'my-operator.example.com/diff-base';

  it('defaults to kopf.zalando.org/last-handled-configuration', () => {
    expect(new AnnotationsDiffBaseStorage().keysFor()).toEqual([
      'kopf.zalando.org/last-handled-configuration',
    ]);
  });

  it.each(['', '\n'])('reads the essence with or without surrounding newlines (%j)', (around) => {
    const body = { metadata: { annotations: { [key]: `${around}${JSON_1}${around}` } } };
    expect(storage.fetch(body)).toEqual(ESSENCE_1);
    expect(storage.fetch({})).toBeUndefined();
  });

  it('writes compact JSON with a trailing newline, the last write winning, plus the marker', () => {
    const patch = new Patch();
    storage.store({}, patch, ESSENCE_1);
    storage.store({}, patch, ESSENCE_2);
    expect(patch.toMergePatch()).toEqual({
      metadata: { annotations: { [key]: `${JSON_2}\n`, 'my-operator.example.com/kopf-managed': 'yes' } },
    });
  });

  it('builds the essence without its own key, even under a prefix not yet marked', () => {
    const body = { spec: { a: 1 }, metadata: { annotations: { [key]: `${JSON_1}\n` } } };
    expect(storage.build(body)).toEqual({ spec: { a: 1 } });
  });

  it('fails on an unreadable value, naming the key and the object', () => {
    const body = { metadata: { name: 'n', annotations: { [key]: '[1, 2]' } } };
    expect(() => storage.fetch(body)).toThrow(DiffBaseRecordError);
    expect(() => storage.fetch(body)).toThrow(`annotation ${key} of n failed`);
  });
});

describe('StatusDiffBaseStorage', () => {
  const storage = new StatusDiffBaseStorage({ field: 'status.my-operator.diff-base' });

  it('reads and writes a JSON string without a newline', () => {
    expect(storage.fetch({ status: { 'my-operator': { 'diff-base': `\n${JSON_1}\n` } } })).toEqual(ESSENCE_1);
    const patch = new Patch();
    storage.store({}, patch, ESSENCE_1);
    storage.store({}, patch, ESSENCE_2);
    expect(patch.toMergePatch()).toEqual({ status: { 'my-operator': { 'diff-base': JSON_2 } } });
  });

  it('defaults to status.kopf.last-handled-configuration and drops it from essences with extra fields', () => {
    const standard = new StatusDiffBaseStorage();
    expect(standard.field).toEqual(['status', 'kopf', 'last-handled-configuration']);
    const body = { status: { kopf: { 'last-handled-configuration': '{}' }, phase: 'x' } };
    expect(standard.build(body, [['status']])).toEqual({ status: { phase: 'x' } });
  });

  it('fails on a stored value that is not a string', () => {
    expect(() => storage.fetch({ status: { 'my-operator': { 'diff-base': { spec: {} } } } })).toThrow(
      DiffBaseRecordError,
    );
  });
});

describe('MultiDiffBaseStorage', () => {
  it('writes all, reads the first found, and clears every own field', () => {
    const storage = dual();
    const patch = new Patch();
    storage.store({}, patch, ESSENCE_1);
    expect(patch.toMergePatch()).toEqual({
      metadata: {
        annotations: {
          'my-operator.example.com/diff-base': `${JSON_1}\n`,
          'my-operator.example.com/kopf-managed': 'yes',
        },
      },
      status: { 'my-operator': { 'diff-base': JSON_1 } },
    });
    expect(storage.fetch({ status: { 'my-operator': { 'diff-base': JSON_2 } } })).toEqual(ESSENCE_2);
    const body = {
      spec: { a: 1 },
      metadata: { annotations: { 'my-operator.example.com/diff-base': '{}' } },
      status: { 'my-operator': { 'diff-base': '{}' } },
    };
    expect(storage.build(body, [['status']])).toEqual({ spec: { a: 1 } });
  });
});

describe('compareWithLastHandled', () => {
  const diffbase = new AnnotationsDiffBaseStorage();
  const progress = new SmartProgressStorage();

  it('reports no stored essence as a root addition', () => {
    const result = compareWithLastHandled({ spec: { a: 1 } }, { diffbase, progress });
    expect(result).toEqual({
      old: undefined,
      new: { spec: { a: 1 } },
      diff: [{ operation: 'add', field: [], old: undefined, new: { spec: { a: 1 } } }],
    });
  });

  it('ignores own progress traces on both sides', () => {
    const custom = new AnnotationsProgressStorage({ prefix: 'my-op.example.com' });
    const stored = '{"spec":{"a":1},"metadata":{"annotations":{"my-op.example.com/fn":"{}"}}}\n';
    const body = {
      spec: { a: 1 },
      metadata: {
        annotations: {
          'kopf.zalando.org/last-handled-configuration': stored,
          'my-op.example.com/other': '{}',
        },
      },
    };
    const result = compareWithLastHandled(body, { diffbase, progress: custom });
    expect([result.old, result.new, result.diff]).toEqual([{ spec: { a: 1 } }, { spec: { a: 1 } }, []]);
  });

  it('sees the changes of watched fields beyond the essence', () => {
    const stored = '{"spec":{"a":1},"status":{"phase":"Pending"}}\n';
    const body = {
      spec: { a: 1 },
      status: { phase: 'Running' },
      metadata: { annotations: { 'kopf.zalando.org/last-handled-configuration': stored } },
    };
    const result = compareWithLastHandled(body, { diffbase, progress, extraFields: [['status', 'phase']] });
    expect(result.diff).toEqual([
      { operation: 'change', field: ['status', 'phase'], old: 'Pending', new: 'Running' },
    ]);
  });
});
