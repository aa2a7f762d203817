import { describe, expect, it } from 'vitest';
import { errorText } from './field-errors.js';
import { goSyntax, listTypeErrors } from './schema-list-types.js';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        hosts: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
        },
        routes: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['host', 'port'],
          items: { type: 'object' },
        },
        groups: {
          type: 'object',
          additionalProperties: {
            type: 'array',
            'x-kubernetes-list-type': 'set',
            items: { type: 'integer' },
          },
        },
        plain: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

const texts = (spec: unknown): string[] => listTypeErrors({ spec }, schema).map(errorText);

describe('listTypeErrors', () => {
  it('reports repeated set values once, at their second occurrence', () => {
    expect(texts({ tags: ['a', 'b', 'a', 'a', 'b'], plain: ['x', 'x'] })).toEqual([
      'spec.tags[2]: Duplicate value: "a"',
      'spec.tags[4]: Duplicate value: "b"',
    ]);
    expect(texts({ groups: { g: [1, 1] } })).toEqual(['spec.groups[g][1]: Duplicate value: 1']);
  });

  it('reports map-list items with repeated keys by their key, as Go prints it', () => {
    expect(texts({ hosts: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }, { port: 3 }, {}] })).toEqual([
      'spec.hosts[1]: Duplicate value: map[string]interface {}{"name":"a"}',
      'spec.hosts[3]: Duplicate value: map[string]interface {}{}',
    ]);
    expect(
      texts({
        routes: [
          { port: 80, host: 'h' },
          { host: 'h', port: 80, extra: 1 },
        ],
      }),
    ).toEqual(['spec.routes[1]: Duplicate value: map[string]interface {}{"host":"h", "port":80}']);
    expect(texts({ hosts: ['a'] })).toEqual([
      'spec.hosts[0]: Invalid value: "a": must be an object for an array of list-type map',
    ]);
  });

  it('accepts unique lists', () => {
    expect(texts({ tags: ['a', 'b'], hosts: [{ name: 'a' }, { name: 'b' }] })).toEqual([]);
  });
});

describe('goSyntax', () => {
  it('prints decoded JSON as Go %#v does', () => {
    expect(goSyntax({ b: [1, 'x', true], a: null, c: 1.5 })).toBe(
      'map[string]interface {}{"a":<nil>, "b":[]interface {}{1, "x", true}, "c":1.5}',
    );
  });
});
