import { describe, expect, it } from 'vitest';
import { pruneCustomResource } from './schema-pruning.js';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { fixed: { type: 'object' } },
        },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
        },
        optional: { type: 'string' },
        maybe: { type: 'string', nullable: true },
        defaulted: { type: 'string', default: 'x' },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const base = { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name: 'x', namespace: 'ns' } };

describe('pruneCustomResource', () => {
  it('drops undeclared fields at every depth and reports their paths, sorted', () => {
    const object = {
      ...base,
      spec: { replicas: 1, zeta: 1, alpha: { deep: true }, items: [{ name: 'a', extra: 1 }, { other: 2 }] },
      top: 'level',
    };
    const outcome = pruneCustomResource(object, schema);
    expect(outcome.object).toEqual({ ...base, spec: { replicas: 1, items: [{ name: 'a' }, {}] } });
    expect(outcome.unknownFields).toEqual([
      'spec.alpha',
      'spec.items[0].extra',
      'spec.items[1].other',
      'spec.zeta',
      'top',
    ]);
  });

  it('leaves the input object unchanged', () => {
    const object = { ...base, spec: { unknown: 1 } };
    pruneCustomResource(object, schema);
    expect(object.spec).toEqual({ unknown: 1 });
  });

  it('keeps additionalProperties keys and everything under x-kubernetes-preserve-unknown-fields', () => {
    const object = {
      ...base,
      spec: { labels: { a: 'b', c: 'd' }, free: { any: { thing: [1] }, fixed: { gone: 1 } } },
      status: { whatever: { nested: true } },
    };
    const outcome = pruneCustomResource(object, schema);
    expect(outcome.object).toEqual({
      ...base,
      spec: { labels: { a: 'b', c: 'd' }, free: { any: { thing: [1] }, fixed: {} } },
      status: { whatever: { nested: true } },
    });
    expect(outcome.unknownFields).toEqual(['spec.free.fixed.gone']);
  });

  it('keeps apiVersion, kind and metadata of embedded resources, dropping unknown metadata fields', () => {
    const template = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels: { app: 'a' }, bogus: 1 },
      spec: { image: 'i', command: ['x'] },
    };
    const outcome = pruneCustomResource({ ...base, spec: { template } }, schema);
    expect(outcome.object.spec).toEqual({
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { app: 'a' } }, spec: { image: 'i' } },
    });
    expect(outcome.unknownFields).toEqual(['spec.template.spec.command', 'spec.template.metadata.bogus']);
  });

  it('never prunes the root apiVersion, kind and metadata, but drops unknown metadata fields', () => {
    const object = {
      ...base,
      metadata: {
        ...base.metadata,
        labels: { a: 'b' },
        colour: 'red',
        ownerReferences: [{ uid: 'u', x: 1 }],
      },
    };
    const outcome = pruneCustomResource(object, { type: 'object' });
    expect(outcome.object).toEqual({
      ...base,
      metadata: { ...base.metadata, labels: { a: 'b' }, ownerReferences: [{ uid: 'u' }] },
    });
    expect(outcome.unknownFields).toEqual(['metadata.colour', 'metadata.ownerReferences[0].x']);
  });

  it('prunes nothing below a root with x-kubernetes-preserve-unknown-fields, and without a schema', () => {
    const object = { ...base, spec: { a: 1 }, data: { b: 2 } };
    expect(
      pruneCustomResource(object, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }),
    ).toEqual({
      object,
      unknownFields: [],
    });
    expect(pruneCustomResource(object, undefined)).toEqual({ object, unknownFields: [] });
  });

  it('drops nulls of non-nullable fields without a default, keeps the others', () => {
    const object = { ...base, spec: { optional: null, maybe: null, defaulted: null } };
    const outcome = pruneCustomResource(object, schema);
    expect(outcome.object.spec).toEqual({ maybe: null, defaulted: null });
    expect(outcome.unknownFields).toEqual([]);
  });
});
