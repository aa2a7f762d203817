import { describe, expect, it } from 'vitest';
import { bodyEncodingOf, contentTypeOf, negotiateOutput, patchTypeOf } from './negotiation.js';
import { StatusError } from './statuses.js';

const all = { table: true, discovery: true, partialMetadata: true };
const none = { table: false, discovery: false, partialMetadata: false };

describe('negotiateOutput', () => {
  it('answers JSON for no Accept, */* and protobuf-first lists', () => {
    expect(negotiateOutput(undefined, none)).toEqual({ kind: 'json' });
    expect(negotiateOutput('*/*', none)).toEqual({ kind: 'json' });
    expect(negotiateOutput('application/vnd.kubernetes.protobuf,application/json', none)).toEqual({
      kind: 'json',
    });
  });

  it('picks aggregated discovery v2 before v2beta1, as kubectl lists them', () => {
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const format = negotiateOutput(accept, all);
    expect(format).toEqual({ kind: 'discovery', version: 'v2' });
    expect(contentTypeOf(format)).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
  });

  it('falls back to plain JSON when Tables are not possible here', () => {
    const accept =
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    expect(negotiateOutput(accept, all)).toEqual({ kind: 'table', version: 'v1' });
    expect(negotiateOutput(accept, none)).toEqual({ kind: 'json' });
  });

  it('honours q values and answers 406 when nothing is acceptable', () => {
    expect(negotiateOutput('application/json;q=0.5,application/yaml', none)).toEqual({ kind: 'yaml' });
    expect(() => negotiateOutput('text/html', none)).toThrow(StatusError);
    try {
      negotiateOutput('application/vnd.kubernetes.protobuf', none);
    } catch (error) {
      expect((error as StatusError).code).toBe(406);
    }
  });
});

describe('bodyEncodingOf and patchTypeOf', () => {
  it('accepts JSON (also without a Content-Type), YAML, and protobuf only when decodable', () => {
    expect(bodyEncodingOf(undefined, false)).toBe('json');
    expect(bodyEncodingOf('application/json; charset=utf-8', false)).toBe('json');
    expect(bodyEncodingOf('application/yaml', false)).toBe('yaml');
    expect(bodyEncodingOf('application/vnd.kubernetes.protobuf', true)).toBe('protobuf');
    expect(() => bodyEncodingOf('application/vnd.kubernetes.protobuf', false)).toThrow(/unknown format/);
  });

  it('refuses strategic merge on custom resources with the exact 415 message', () => {
    expect(patchTypeOf('application/merge-patch+json', false)).toBe('merge');
    expect(patchTypeOf('application/strategic-merge-patch+json', true)).toBe('strategic');
    expect(() => patchTypeOf('application/strategic-merge-patch+json', false)).toThrow(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    expect(() => patchTypeOf('application/json', true)).toThrow(StatusError);
  });
});
