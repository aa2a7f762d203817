import { describe, expect, it } from 'vitest';
import { builtinTypes } from './builtins.js';
import { typesFromCrd } from './crds.js';
import type { ResourceType } from './kinds.js';
import { checkAppliedFields, decodeBody, decodePatched, settleObject } from './schema-decoding.js';
import { StatusError } from './statuses.js';

const crd = {
  metadata: { name: 'kopfexamples.kopf.dev' },
  spec: {
    group: 'kopf.dev',
    scope: 'Namespaced',
    names: { kind: 'KopfExample', plural: 'kopfexamples' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { replicas: { type: 'integer', default: 1 } } },
            },
          },
        },
      },
    ],
  },
  status: { conditions: [{ type: 'Established', status: 'True' }] },
};
const kex = typesFromCrd(crd)[0] as ResourceType;
const configmaps = builtinTypes().find((type) => type.plural === 'configmaps') as ResourceType;
const object = {
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: { name: 'x', namespace: 'ns' },
  spec: { foo: 1, bar: { baz: 2 } },
};

function statusOf(action: () => unknown): StatusError['status'] {
  try {
    action();
  } catch (error) {
    if (error instanceof StatusError) return error.status;
    throw error;
  }
  throw new Error('expected a StatusError');
}

describe('settleObject', () => {
  it('prunes and defaults custom resources, and leaves built-ins alone', () => {
    expect(settleObject(kex, object)).toEqual({
      object: { ...object, spec: { replicas: 1 } },
      unknownFields: ['spec.bar', 'spec.foo'],
    });
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', odd: 1 }, extra: 1 };
    expect(settleObject(configmaps, configMap)).toEqual({ object: configMap, unknownFields: [] });
  });
});

describe('decodeBody', () => {
  it('refuses unknown fields with Strict, as a decode error (400)', () => {
    expect(statusOf(() => decodeBody(kex, object, { fieldValidation: 'Strict' }))).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message:
        'KopfExample in version "v1" cannot be handled as a KopfExample: strict decoding error: ' +
        'unknown field "spec.bar", unknown field "spec.foo"',
    });
  });

  it('prunes with a warning per field for Warn and when fieldValidation is absent', () => {
    for (const fieldValidation of ['Warn', undefined] as const) {
      const warnings: string[] = [];
      const decoded = decodeBody(kex, object, { ...(fieldValidation ? { fieldValidation } : {}), warnings });
      expect(decoded.spec).toEqual({ replicas: 1 });
      expect(warnings).toEqual(['unknown field "spec.bar"', 'unknown field "spec.foo"']);
    }
  });

  it('prunes silently with Ignore', () => {
    const warnings: string[] = [];
    expect(decodeBody(kex, object, { fieldValidation: 'Ignore', warnings }).spec).toEqual({ replicas: 1 });
    expect(warnings).toEqual([]);
  });
});

describe('decodePatched', () => {
  it('refuses a patched object with unknown fields as the patch handler does (422)', () => {
    const patched = {
      spec: { foo: 1 },
      metadata: { name: 'x' },
      kind: 'KopfExample',
      apiVersion: 'kopf.dev/v1',
    };
    const json = '{"apiVersion":"kopf.dev/v1","kind":"KopfExample","metadata":{"name":"x"},"spec":{"foo":1}}';
    expect(statusOf(() => decodePatched(kex, patched, { fieldValidation: 'Strict' }))).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: ` "" is invalid: patch: Invalid value: ${JSON.stringify(json)}: strict decoding error: unknown field "spec.foo"`,
      reason: 'Invalid',
      details: {
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(json)}: strict decoding error: unknown field "spec.foo"`,
            field: 'patch',
          },
        ],
      },
      code: 422,
    });
  });
});

describe('checkAppliedFields', () => {
  it('fails server-side apply on undeclared fields whatever fieldValidation says (500)', () => {
    expect(statusOf(() => checkAppliedFields(kex, { ...object, spec: { foo: 1 } }))).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'failed to create typed patch object (ns/x; kopf.dev/v1, Kind=KopfExample): ' +
        '.spec.foo: field not declared in schema',
      code: 500,
    });
    expect(statusOf(() => checkAppliedFields(kex, object)).message).toBe(
      'failed to create typed patch object (ns/x; kopf.dev/v1, Kind=KopfExample): errors:\n' +
        '  .spec.bar: field not declared in schema\n' +
        '  .spec.foo: field not declared in schema',
    );
    expect(() => checkAppliedFields(kex, { ...object, spec: { replicas: 2 } })).not.toThrow();
  });
});
