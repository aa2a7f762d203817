import { describe, expect, it } from 'vitest';
import { formatTimestamp, momentToMillis, Timestamp, TimestampParseError } from './timestamps.js';

describe('Timestamp.format', () => {
  it.each([
    [Timestamp.parse('2000-01-01T00:00:00'), '2000-01-01T00:00:00.000000'],
    [Timestamp.parse('2000-01-01T09:08:07.654321'), '2000-01-01T09:08:07.654321'],
    [Timestamp.parse('2000-01-01T00:00:00Z'), '2000-01-01T00:00:00.000000+00:00'],
    [Timestamp.parse('2000-01-01T09:08:07.654321+00:00'), '2000-01-01T09:08:07.654321+00:00'],
    [Timestamp.parse('2000-01-01T09:08:07.654321-11:00'), '2000-01-01T09:08:07.654321-11:00'],
    [Timestamp.parse('2000-01-01T00:00:00.000000+11:00'), '2000-01-01T00:00:00.000000+11:00'],
  ])('prints Python isoformat with microseconds and the original offset: %s', (timestamp, text) => {
    expect(timestamp.format()).toBe(text);
  });

  it('pads a JS Date to microseconds in UTC, as Kopf prints its own times', () => {
    const text = formatTimestamp(new Date(Date.UTC(2021, 2, 4, 5, 6, 7, 8)));
    expect(text).toBe('2021-03-04T05:06:07.008000+00:00');
  });

  it('keeps sub-millisecond digits of epoch milliseconds', () => {
    expect(formatTimestamp(Date.UTC(2020, 11, 31, 23, 59, 59) + 123.456)).toBe(
      '2020-12-31T23:59:59.123456+00:00',
    );
  });

  it('prints through toString and JSON.stringify', () => {
    const timestamp = Timestamp.parse('2020-12-31T23:59:59.123456+00:00');
    expect([`${timestamp}`, JSON.stringify({ timestamp })]).toEqual([
      '2020-12-31T23:59:59.123456+00:00',
      '{"timestamp":"2020-12-31T23:59:59.123456+00:00"}',
    ]);
  });
});

describe('Timestamp.parse', () => {
  it('reads microseconds without loss', () => {
    const a = Timestamp.parse('2020-12-31T23:59:59.123456+00:00');
    const b = Timestamp.parse('2020-12-31T23:59:59.123457+00:00');
    expect(b.secondsSince(a)).toBeCloseTo(0.000001, 9);
    expect(a.epochMicros % 1000).toBe(456);
  });

  it('treats offsets as the same instant in UTC', () => {
    const west = Timestamp.parse('2000-01-01T00:00:00.000000-11:00');
    const utc = Timestamp.parse('2000-01-01T11:00:00.000000+00:00');
    expect([west.isSameInstant(utc), west.offsetMinutes, utc.offsetMinutes]).toEqual([true, -660, 0]);
  });

  it('reads naive timestamps of old Kopf versions as UTC for comparisons', () => {
    const naive = Timestamp.parse('2020-01-01T00:00:00');
    expect([naive.offsetMinutes, naive.toDate().toISOString()]).toEqual([null, '2020-01-01T00:00:00.000Z']);
  });

  it('truncates digits beyond microseconds, as the iso8601 library does', () => {
    expect(Timestamp.parse('2020-01-01T00:00:00.1234569+00:00').format()).toBe(
      '2020-01-01T00:00:00.123456+00:00',
    );
  });

  it.each(['', 'yesterday', '2020-13-01T00:00:00', '2020-02-30T00:00:00', '2020-01-01T25:00:00'])(
    'rejects %j with a TimestampParseError',
    (text) => {
      expect(() => Timestamp.parse(text)).toThrow(TimestampParseError);
    },
  );
});

describe('Timestamp arithmetic', () => {
  it('adds fractional seconds rounded to microseconds, keeping the offset', () => {
    const start = Timestamp.parse('2020-12-31T23:59:59.123456+02:00');
    expect(start.plusSeconds(1.0000004).format()).toBe('2021-01-01T00:00:00.123456+02:00');
    expect(start.plusSeconds(0.5).secondsSince(start)).toBe(0.5);
  });

  it('converts moments given as Date or milliseconds alike', () => {
    const date = new Date(1_600_000_000_123);
    expect([momentToMillis(date), momentToMillis(1_600_000_000_123)]).toEqual([
      1_600_000_000_123, 1_600_000_000_123,
    ]);
    expect(Timestamp.of(date).epochMillis).toBe(1_600_000_000_123);
  });
});
