import { describe, expect, it } from 'vitest';
import { errorText, invalid } from './field-errors.js';
import { checkName, validateMeta } from './validation.js';

describe('checkName', () => {
  it('accepts DNS-1123 subdomains and rejects upper case with the real message', () => {
    expect(checkName('kopf-example-1.x', 'subdomain')).toEqual([]);
    const [error] = checkName('Bad_Name', 'subdomain');
    expect(errorText(error as never)).toMatch(
      /^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
    );
  });

  it('limits labels to 63 characters and DNS-1035 labels to a leading letter', () => {
    expect(checkName('a'.repeat(64), 'label').map((error) => error.detail)).toContain(
      'must be no more than 63 characters',
    );
    expect(checkName('1abc', 'label-1035')).toHaveLength(1);
    expect(checkName('a/b', 'path-segment')).toHaveLength(1);
  });
});

describe('validateMeta', () => {
  it('requires a name and checks labels, annotations and finalizers', () => {
    expect(validateMeta({}, 'subdomain').map(errorText)).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
    const errors = validateMeta(
      { name: 'x', labels: { 'bad key!': 'v' }, finalizers: ['ok/fine', '/bad'] },
      'subdomain',
    );
    expect(errors.map((error) => error.field)).toEqual(['metadata.labels', 'metadata.finalizers[1]']);
  });

  it('limits the annotations to 256 KiB in total, as apimachinery does', () => {
    const within = validateMeta(
      { name: 'x', annotations: { 'a/b': 'y'.repeat(256 * 1024 - 3) } },
      'subdomain',
    );
    expect(within).toEqual([]);
    const beyond = validateMeta({ name: 'x', annotations: { 'a/b': 'y'.repeat(256 * 1024) } }, 'subdomain');
    expect(beyond.map(errorText)).toEqual([
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });
});

describe('invalid', () => {
  it('builds the 422 Status with the Kind, one cause per error, and bracketed messages for several', () => {
    const status = invalid('kopf.dev', 'KopfExample', 'x', [
      { type: 'FieldValueRequired', field: 'spec.a', detail: '' },
      { type: 'FieldValueInvalid', field: 'spec.b', value: '"v"', detail: 'bad' },
    ]).status;
    expect(status.message).toBe(
      'KopfExample.kopf.dev "x" is invalid: [spec.a: Required value, spec.b: Invalid value: "v": bad]',
    );
    expect(status.details).toEqual({
      name: 'x',
      group: 'kopf.dev',
      kind: 'KopfExample',
      causes: [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.a' },
        { reason: 'FieldValueInvalid', message: 'Invalid value: "v": bad', field: 'spec.b' },
      ],
    });
    expect(status.code).toBe(422);
  });
});
