import { describe, expect, it } from 'vitest';
import { buildEssence, removeAnnotations, removeEmptyStanzas } from './essence.js';

describe('buildEssence', () => {
  it('drops the resource references', () => {
    expect(buildEssence({ apiVersion: 'group/version', kind: 'Kind' })).toEqual({});
  });

  it.each([
    'uid',
    'name',
    'namespace',
    'selfLink',
    'generation',
    'finalizers',
    'resourceVersion',
    'creationTimestamp',
    'deletionTimestamp',
    'any-unexpected-field',
  ])('drops metadata.%s and the emptied metadata', (field) => {
    expect(buildEssence({ metadata: { [field]: 'x' } })).toEqual({});
  });

  it('keeps extra fields even from metadata', () => {
    const body = { metadata: { uid: 'x', other: 'y' } };
    expect(buildEssence(body, { extraFields: ['metadata.other'] })).toEqual({ metadata: { other: 'y' } });
  });

  it('drops the status but keeps the extra fields from it', () => {
    const body = { status: { kopf: { progress: 'x', anything: 'y' }, other: 'z' } };
    expect(buildEssence(body)).toEqual({});
    expect(buildEssence(body, { extraFields: [['status', 'other']] })).toEqual({ status: { other: 'z' } });
  });

  it('drops kubectl last-applied-configuration and the emptied stanzas', () => {
    const key = 'kubectl.kubernetes.io/last-applied-configuration';
    expect(buildEssence({ metadata: { annotations: { [key]: 'x' } } })).toEqual({});
    expect(buildEssence({ metadata: { annotations: { [key]: 'x', other: 'y' } } })).toEqual({
      metadata: { annotations: { other: 'y' } },
    });
  });

  it.each(['kopf.zalando.org', 'sub.kopf.zalando.org', 'sub.sub.kopf.zalando.org'])(
    'drops annotations of other Kopf operators under %s',
    (prefix) => {
      const body = { metadata: { annotations: { [`${prefix}/to-be-removed`]: 'x', other: 'y' } } };
      expect(buildEssence(body)).toEqual({ metadata: { annotations: { other: 'y' } } });
    },
  );

  it('drops annotations of prefixes marked as kopf-managed', () => {
    const annotations = { 'domain.tld/to-be-removed': 'x', 'domain.tld/kopf-managed': 'yes', other: 'y' };
    expect(buildEssence({ metadata: { annotations } })).toEqual({
      metadata: { annotations: { other: 'y' } },
    });
  });

  it.each(['kopf-domain.tld', 'kopf.domain.tld', 'domain.tld.kopf', 'domain-kopf-tld'])(
    'keeps annotations of %s, which only mentions kopf',
    (prefix) => {
      const annotations = { [`${prefix}/to-be-removed`]: 'x' };
      expect(buildEssence({ metadata: { annotations } })).toEqual({ metadata: { annotations } });
    },
  );

  it('orders keys as Kopf writes them: other top-level fields, then metadata labels and annotations', () => {
    const body = {
      apiVersion: 'kopf.dev/v1',
      kind: 'KopfExample',
      metadata: { annotations: { a: '1' }, name: 'n', labels: { l: '2' } },
      status: { x: 1 },
      spec: { field: 'value' },
      data: { k: 'v' },
    };
    expect(JSON.stringify(buildEssence(body))).toBe(
      '{"spec":{"field":"value"},"data":{"k":"v"},"metadata":{"labels":{"l":"2"},"annotations":{"a":"1"}}}',
    );
  });

  it('shares nothing with the body', () => {
    const body = { spec: { depth: { field: 'x' } } };
    const essence = buildEssence(body);
    body.spec.depth.field = 'y';
    expect(essence).toEqual({ spec: { depth: { field: 'x' } } });
  });

  it('removes ignored fields, their emptied parents, and skips paths through non-objects', () => {
    const body = { a: { b: { c: 'd' }, e: { f: 'g' } }, h: { i: 'j' } };
    const essence = buildEssence(body, { ignoredFields: ['a.b', 'a.e.f.g', 'h', 'k.l.m'] });
    expect(essence).toEqual({ a: { e: { f: 'g' } } });
  });

  it('drops empty labels and annotations of the body', () => {
    expect(buildEssence({ metadata: { labels: {}, annotations: {} }, spec: {} })).toEqual({ spec: {} });
  });
});

describe('removeAnnotations / removeEmptyStanzas', () => {
  it('remove keys in place and then the emptied stanzas', () => {
    const essence = { metadata: { annotations: { a: '1', b: '2' }, labels: {} }, status: {} };
    removeAnnotations(essence, ['a', 'b', 'absent']);
    removeEmptyStanzas(essence);
    expect(essence).toEqual({});
  });
});
