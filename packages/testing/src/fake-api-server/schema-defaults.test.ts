import { describe, expect, it } from 'vitest';
import { defaultCustomResource } from './schema-defaults.js';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      default: {},
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', default: 'fast' },
        note: { type: 'string', nullable: true, default: 'n' },
        resources: {
          type: 'object',
          properties: { cpu: { type: 'string', default: '100m' } },
        },
        ports: {
          type: 'array',
          items: {
            type: 'object',
            default: { port: 80 },
            properties: { protocol: { type: 'string', default: 'TCP' } },
          },
        },
        env: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { value: { type: 'string', default: 'v' } } },
        },
      },
    },
  },
};

describe('defaultCustomResource', () => {
  it('fills missing properties, including a defaulted parent and then its own defaults', () => {
    expect(defaultCustomResource({ metadata: { name: 'x' } }, schema)).toEqual({
      metadata: { name: 'x' },
      spec: { replicas: 1, mode: 'fast', note: 'n' },
    });
  });

  it('keeps given values and defaults a map only when the map is present', () => {
    const object = { spec: { replicas: 3, mode: null, resources: {} } };
    expect(defaultCustomResource(object, schema).spec).toEqual({
      replicas: 3,
      mode: 'fast',
      note: 'n',
      resources: { cpu: '100m' },
    });
  });

  it('keeps nulls of nullable fields', () => {
    expect(defaultCustomResource({ spec: { note: null } }, schema).spec).toMatchObject({ note: null });
  });

  it('defaults list items, null items, and additionalProperties values', () => {
    const object = { spec: { ports: [{ port: 1 }, null], env: { A: {}, B: { value: 'b' } } } };
    expect(defaultCustomResource(object, schema).spec).toMatchObject({
      ports: [
        { port: 1, protocol: 'TCP' },
        { port: 80, protocol: 'TCP' },
      ],
      env: { A: { value: 'v' }, B: { value: 'b' } },
    });
  });

  it('copies defaults and leaves the input unchanged', () => {
    const object = { spec: { resources: {} } };
    const first = defaultCustomResource(object, schema);
    const second = defaultCustomResource(object, schema);
    expect(object).toEqual({ spec: { resources: {} } });
    (first.spec as { resources: { cpu: string } }).resources.cpu = 'changed';
    expect(second.spec).toMatchObject({ resources: { cpu: '100m' } });
  });
});
