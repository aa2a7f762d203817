import { describe, expect, it } from 'vitest';
import { errorText, invalid } from './field-errors.js';
import { goFloat, validateCustomResource, validateCustomResourceStatus } from './schema-validation.js';

const schema = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['replicas'],
      properties: {
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0.5, multipleOf: 0.25 },
        mode: { type: 'string', enum: ['fast', 'slow'] },
        level: { type: 'integer', enum: [1, 2] },
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
        note: { type: 'string', nullable: true },
        port: { 'x-kubernetes-int-or-string': true },
        env: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
        hosts: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 9 } },
          },
        },
      },
    },
  },
};

const texts = (spec: unknown, old?: unknown): string[] =>
  validateCustomResource(
    { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name: 'x' }, spec },
    schema,
    old === undefined
      ? undefined
      : { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name: 'x' }, spec: old },
  ).map(errorText);

describe('validateCustomResource', () => {
  it('accepts a valid object', () => {
    const spec = {
      replicas: 3,
      ratio: 0.75,
      mode: 'fast',
      level: 2,
      name: 'abc',
      tags: ['a'],
      note: null,
      port: 'http',
    };
    expect(texts(spec)).toEqual([]);
  });

  it('reports wrong types as kube-openapi words them', () => {
    expect(texts({ replicas: 'string' })).toEqual([
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    expect(texts({ replicas: 1, name: { a: 1 }, tags: 'x', port: true })).toEqual([
      'spec.name: Invalid value: "object": spec.name in body must be of type string: "object"',
      'spec.tags: Invalid value: "string": spec.tags in body must be of type array: "string"',
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ]);
    expect(texts({ replicas: 1.5 })).toEqual([
      'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    ]);
  });

  it('reports required fields', () => {
    expect(texts({})).toEqual(['spec.replicas: Required value']);
    expect(
      validateCustomResource({ apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: {} }, schema).map(
        errorText,
      ),
    ).toEqual(['spec: Required value']);
  });

  it('reports enums, bounds, lengths and patterns', () => {
    expect(texts({ replicas: 0, mode: 'medium', level: 3 })).toEqual([
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"',
      'spec.level: Unsupported value: 3: supported values: "1", "2"',
    ]);
    expect(texts({ replicas: 11, ratio: 0.5 })).toEqual([
      'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
      'spec.ratio: Invalid value: 0.5: spec.ratio in body should be greater than 0.5',
    ]);
    expect(texts({ replicas: 1, ratio: 0.8 })).toEqual([
      'spec.ratio: Invalid value: 0.8: spec.ratio in body should be a multiple of 0.25',
    ]);
    expect(texts({ replicas: 1, name: 'toolong' })).toEqual([
      'spec.name: Too long: may not be more than 5 bytes',
    ]);
    expect(texts({ replicas: 1, name: 'a' })).toEqual([
      'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long',
    ]);
    expect(texts({ replicas: 1, name: 'ABC' })).toEqual([
      `spec.name: Invalid value: "ABC": spec.name in body should match '^[a-z]+$'`,
    ]);
  });

  it('reports list and map sizes, item errors with their index, and additionalProperties values', () => {
    expect(texts({ replicas: 1, tags: [] })).toEqual([
      'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items',
    ]);
    expect(texts({ replicas: 1, tags: ['a', 2, 'c'] })).toEqual([
      'spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"',
      'spec.tags: Too many: 3: must have at most 2 items',
    ]);
    expect(texts({ replicas: 1, env: { A: 1, B: 'b' } })).toEqual([
      'spec.env: Too many: 2: must have at most 1 items',
      'spec.env.A: Invalid value: "integer": spec.env.A in body must be of type string: "integer"',
    ]);
  });

  it('checks string formats, and words a non-string for a formatted field by the format', () => {
    const formatted = {
      type: 'object',
      properties: { at: { type: 'string', format: 'date-time' }, id: { type: 'string', format: 'uuid' } },
    };
    const check = (value: unknown): string[] =>
      validateCustomResource({ at: value, id: 'not-a-uuid' }, formatted).map(errorText);
    expect(check('2026-01-02T03:04:05Z')).toEqual([
      'id: Invalid value: "not-a-uuid": id in body must be of type uuid: "not-a-uuid"',
    ]);
    expect(check('yesterday')[0]).toBe(
      'at: Invalid value: "yesterday": at in body must be of type date-time: "yesterday"',
    );
    expect(check(5)[0]).toBe('at: Invalid value: "int64": at in body must be of type date-time: "int64"');
  });

  it('accepts null only where nullable', () => {
    expect(texts({ replicas: 1, tags: [null] })).toEqual([
      'spec.tags[0]: Invalid value: "null": spec.tags[0] in body must be of type string: "null"',
    ]);
  });

  it('does not check again what an update left unchanged (ratcheting)', () => {
    const old = { replicas: 50, hosts: [{ name: 'a', port: 99 }] };
    expect(
      texts(
        {
          replicas: 50,
          hosts: [
            { name: 'b', port: 1 },
            { name: 'a', port: 99 },
          ],
        },
        old,
      ),
    ).toEqual([]);
    expect(texts({ replicas: 50, hosts: [{ name: 'a', port: 98 }] }, old)).toEqual([
      'spec.hosts[0].port: Invalid value: 98: spec.hosts[0].port in body should be less than or equal to 9',
    ]);
    expect(texts({ replicas: 51 }, old)).toEqual([
      'spec.replicas: Invalid value: 51: spec.replicas in body should be less than or equal to 10',
    ]);
  });

  it('validates a status write by the status schema alone, naming fields from the status', () => {
    const withStatus = {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { replicas: { type: 'integer' } } },
        status: { type: 'object', required: ['phase'], properties: { phase: { type: 'string' } } },
      },
    };
    const object = (status: unknown) => ({ metadata: { name: 'x' }, spec: { replicas: 'bad' }, status });
    expect(validateCustomResourceStatus(object({ phase: 1 }), withStatus).map(errorText)).toEqual([
      'status.phase: Invalid value: "integer": phase in body must be of type string: "integer"',
    ]);
    expect(validateCustomResourceStatus(object({}), withStatus).map(errorText)).toEqual([
      'status.phase: Required value',
    ]);
    expect(validateCustomResourceStatus(object('x'), withStatus).map(errorText)).toEqual([
      'status: Invalid value: "string":  in body must be of type object: "string"',
    ]);
    expect(validateCustomResourceStatus({ spec: {} }, withStatus)).toEqual([]);
  });

  it('makes the 422 message and causes the real server answers with', () => {
    const errors = validateCustomResource(
      {
        apiVersion: 'kopf.dev/v1',
        kind: 'KopfExample',
        metadata: { name: 'x' },
        spec: { replicas: 'string' },
      },
      schema,
    );
    expect(invalid('kopf.dev', 'KopfExample', 'x', errors).status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        'KopfExample.kopf.dev "x" is invalid: spec.replicas: Invalid value: "string": ' +
        'spec.replicas in body must be of type integer: "string"',
      details: {
        name: 'x',
        group: 'kopf.dev',
        kind: 'KopfExample',
        causes: [
          {
            reason: 'FieldValueTypeInvalid',
            message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
            field: 'spec.replicas',
          },
        ],
      },
    });
  });
});

describe('goFloat', () => {
  it('prints float64 as Go %v does', () => {
    expect([0.5, 1, 123456, 1e6, 1234567.5, 0.0001, 0.00001, -2.5e-7].map((value) => goFloat(value))).toEqual(
      ['0.5', '1', '123456', '1e+06', '1.2345675e+06', '0.0001', '1e-05', '-2.5e-07'],
    );
  });
});
