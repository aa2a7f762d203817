import { describe, expect, it } from 'vitest';
import { formatAccepts, supportedFormat } from './schema-formats.js';

describe('supportedFormat', () => {
  it('keeps the formats apiextensions-apiserver keeps, with or without dashes, and drops the rest', () => {
    expect(
      ['date-time', 'datetime', 'uuid', 'byte', 'int32', 'int-or-string', 'quantity', 5].map(supportedFormat),
    ).toEqual(['date-time', 'datetime', 'uuid', 'byte', '', '', '', '']);
  });
});

describe('formatAccepts', () => {
  it('checks date-time and date as strfmt does', () => {
    expect(formatAccepts('date-time', '2026-02-28T10:20:30Z')).toBe(true);
    expect(formatAccepts('date-time', '2026-02-28t10:20:30.123+02:00')).toBe(true);
    expect(formatAccepts('date-time', '2026-02-29T10:20:30Z')).toBe(false);
    expect(formatAccepts('date-time', '2026-02-28T24:00:00Z')).toBe(false);
    expect(formatAccepts('date-time', '2026-02-28 10:20:30Z')).toBe(false);
    expect(formatAccepts('date', '2024-02-29')).toBe(true);
    expect(formatAccepts('date', '2024-2-29')).toBe(false);
  });

  it('checks uuids, base64, addresses, hostnames, colours and SSNs', () => {
    expect(formatAccepts('uuid', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe(true);
    expect(formatAccepts('uuid4', 'a0eebc99-9c0b-3ef8-bb6d-6bb9bd380a11')).toBe(false);
    expect(formatAccepts('byte', 'aGVsbG8=')).toBe(true);
    expect(formatAccepts('byte', 'hello')).toBe(false);
    expect(formatAccepts('ipv4', '010.0.0.1')).toBe(true);
    expect(formatAccepts('ipv4', '256.0.0.1')).toBe(false);
    expect(formatAccepts('ipv6', '::1')).toBe(true);
    expect(formatAccepts('cidr', '10.0.0.0/8')).toBe(true);
    expect(formatAccepts('cidr', '10.0.0.0/33')).toBe(false);
    expect(formatAccepts('hostname', 'example.com')).toBe(true);
    expect(formatAccepts('hostname', 'bad_host!')).toBe(false);
    expect(formatAccepts('hexcolor', '#fff')).toBe(true);
    expect(formatAccepts('ssn', '12-345-6789')).toBe(false);
  });

  it('accepts anything for password and the formats it does not check', () => {
    expect(formatAccepts('password', '')).toBe(true);
    expect(formatAccepts('email', 'not an email')).toBe(true);
  });
});
