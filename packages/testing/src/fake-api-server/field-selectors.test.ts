import { describe, expect, it } from 'vitest';
import { builtinTypes } from './builtins.js';
import { checkFieldLabels, matchesFields, parseFieldSelector } from './field-selectors.js';
import type { ResourceType } from './kinds.js';

function typeOf(group: string, plural: string): ResourceType {
  const type = builtinTypes().find((candidate) => candidate.group === group && candidate.plural === plural);
  if (!type) throw new Error(`no built-in ${plural}`);
  return type;
}

const event = {
  metadata: { name: 'e1', namespace: 'ns1' },
  involvedObject: { kind: 'KopfExample', name: 'kex-1', namespace: 'ns1', uid: 'u-1' },
  reason: 'Logging',
  source: { component: 'kopf' },
  type: 'Normal',
};

describe('parseFieldSelector', () => {
  it('splits terms on unescaped commas and picks the first operator', () => {
    expect(parseFieldSelector('metadata.name=a,metadata.namespace!=b,reason==c')).toEqual([
      { field: 'metadata.name', op: '=', value: 'a' },
      { field: 'metadata.namespace', op: '!=', value: 'b' },
      { field: 'reason', op: '=', value: 'c' },
    ]);
  });

  it('unescapes backslash-escaped commas and equal signs in values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b\\=c')).toEqual([
      { field: 'metadata.name', op: '=', value: 'a,b=c' },
    ]);
  });

  it('rejects a term without an operator', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(/can't understand/);
  });
});

describe('matchesFields', () => {
  it('matches the involvedObject and source labels of core events', () => {
    const type = typeOf('', 'events');
    const selector = parseFieldSelector(
      'involvedObject.name=kex-1,involvedObject.uid=u-1,source=kopf,type!=Warning',
    );
    expect(matchesFields(type, selector, event)).toBe(true);
    expect(matchesFields(type, parseFieldSelector('involvedObject.kind=Pod'), event)).toBe(false);
  });

  it('supports status.phase on namespaces and treats absent fields as empty', () => {
    const type = typeOf('', 'namespaces');
    expect(
      matchesFields(type, parseFieldSelector('status.phase=Active'), {
        metadata: { name: 'x' },
        status: { phase: 'Active' },
      }),
    ).toBe(true);
    expect(matchesFields(type, parseFieldSelector('status.phase='), { metadata: { name: 'x' } })).toBe(true);
  });
});

describe('checkFieldLabels', () => {
  it('answers the real 400 for an unsupported label', () => {
    expect(() => checkFieldLabels(typeOf('', 'configmaps'), parseFieldSelector('spec.foo=1'))).toThrow(
      'field label not supported: spec.foo',
    );
  });

  it('accepts metadata.name and metadata.namespace everywhere', () => {
    expect(() =>
      checkFieldLabels(typeOf('', 'configmaps'), parseFieldSelector('metadata.name=a,metadata.namespace=b')),
    ).not.toThrow();
  });
});
