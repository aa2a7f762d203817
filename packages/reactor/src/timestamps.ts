/**
 * Timestamps as Kopf stores them in progress records: ISO-8601 with exactly six
 * fractional digits and the offset as written (`2020-12-31T23:59:59.123456+00:00`),
 * i.e. Python's `datetime.isoformat(timespec='microseconds')`. JS `Date` keeps only
 * milliseconds, so a `Timestamp` counts microseconds since the epoch and remembers
 * the offset it was written with: a record read from an object formats back to
 * exactly the same text, and nothing is rewritten merely because it was read.
 * Naive timestamps (no offset, from very old Kopf versions) are compared as UTC.
 */

const MICROS_PER_MS = 1000;
const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A timestamp text could not be read as ISO-8601. */
export class TimestampParseError extends Error {
  override name = 'TimestampParseError';
}

/** A moment as the reactor passes it around: a `Date` or milliseconds since the epoch. */
export type Moment = Date | number;

/** Milliseconds since the epoch of a {@link Moment}. */
export function momentToMillis(moment: Moment): number {
  return typeof moment === 'number' ? moment : moment.getTime();
}

/**
 * An instant with microsecond precision and the UTC offset it is written with
 * (`null`: naive, written without an offset). Immutable.
 */
export class Timestamp {
  /** Microseconds since the Unix epoch (an exact integer for any realistic date). */
  readonly epochMicros: number;
  /** Minutes east of UTC that the text form uses; `null` for a naive timestamp. */
  readonly offsetMinutes: number | null;

  constructor(epochMicros: number, offsetMinutes: number | null = 0) {
    this.epochMicros = Math.round(epochMicros);
    this.offsetMinutes = offsetMinutes;
  }

  /** A UTC timestamp of a `Date` or epoch milliseconds (fractions of ms kept to the microsecond). */
  static of(moment: Moment): Timestamp {
    return new Timestamp(momentToMillis(moment) * MICROS_PER_MS, 0);
  }

  /**
   * Reads an ISO-8601 timestamp as Kopf's `iso8601.parse_date(..., default_timezone=None)`
   * does: `Z` and `±HH:MM` offsets, naive when there is none; fractions beyond
   * microseconds are truncated.
   *
   * @throws TimestampParseError when the text is not an ISO-8601 date-time.
   */
  static parse(text: string): Timestamp {
    const match = ISO_PATTERN.exec(text.trim());
    if (!match) {
      throw new TimestampParseError(
        `Reading a timestamp failed: ${JSON.stringify(text)} is not ISO-8601 ` +
          '(expected e.g. "2020-12-31T23:59:59.123456+00:00").',
      );
    }
    const [, year, month, day, hour, minute, second, fraction, zone] = match;
    const parts = [year, month, day, hour, minute, second].map((part) => Number(part ?? 0));
    const wallMillis = wallClockMillis(parts, text);
    const fractionMicros = Number((fraction ?? '').slice(0, 6).padEnd(6, '0'));
    const offset = parseOffset(zone);
    const wallMicros = wallMillis * MICROS_PER_MS + fractionMicros;
    return new Timestamp(wallMicros - (offset ?? 0) * MICROS_PER_MINUTE, offset);
  }

  /** Epoch milliseconds (sub-millisecond digits dropped toward the past). */
  get epochMillis(): number {
    return Math.floor(this.epochMicros / MICROS_PER_MS);
  }

  /** A `Date` of this instant (milliseconds precision). */
  toDate(): Date {
    return new Date(this.epochMillis);
  }

  /** This instant moved by `seconds` (rounded to the microsecond), keeping the offset. */
  plusSeconds(seconds: number): Timestamp {
    return new Timestamp(this.epochMicros + Math.round(seconds * MICROS_PER_SECOND), this.offsetMinutes);
  }

  /** Seconds from `other` to this instant (negative when this one is earlier). */
  secondsSince(other: Timestamp): number {
    return (this.epochMicros - other.epochMicros) / MICROS_PER_SECOND;
  }

  /** Whether both denote the same instant (offsets aside). */
  isSameInstant(other: Timestamp): boolean {
    return this.epochMicros === other.epochMicros;
  }

  /** Python's `isoformat(timespec='microseconds')`: `2020-12-31T23:59:59.123456+00:00`. */
  format(): string {
    const wallMicros = this.epochMicros + (this.offsetMinutes ?? 0) * MICROS_PER_MINUTE;
    const wallMillis = Math.floor(wallMicros / MICROS_PER_MS);
    const micros = wallMicros - wallMillis * MICROS_PER_MS;
    const iso = new Date(wallMillis).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
    const fraction = iso.slice(20, 23) + String(micros).padStart(3, '0');
    return `${iso.slice(0, 19)}.${fraction}${formatOffset(this.offsetMinutes)}`;
  }

  /** The text form, so that `${timestamp}` and `JSON.stringify` print Kopf's format. */
  toString(): string {
    return this.format();
  }

  /** The text form for `JSON.stringify`. */
  toJSON(): string {
    return this.format();
  }
}

/** Kopf's text of a moment in UTC: `2020-12-31T23:59:59.123000+00:00` for a JS `Date`. */
export function formatTimestamp(moment: Moment | Timestamp): string {
  return (moment instanceof Timestamp ? moment : Timestamp.of(moment)).format();
}

const PART_LIMITS: readonly (readonly [number, number])[] = [
  [1, 9999],
  [1, 12],
  [1, 31],
  [0, 23],
  [0, 59],
  [0, 59],
];

/** Epoch ms of a wall-clock date-time read as UTC; rejects out-of-range parts (month 13, day 32, …). */
function wallClockMillis(parts: readonly number[], text: string): number {
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = parts;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const inRange = PART_LIMITS.every(([low, high], index) => {
    const part = parts[index] ?? 0;
    return part >= low && part <= high;
  });
  if (!inRange || date.getUTCDate() !== day) {
    throw new TimestampParseError(
      `Reading a timestamp failed: ${JSON.stringify(text)} has a date or time part out of range.`,
    );
  }
  return date.getTime();
}

function parseOffset(zone: string | undefined): number | null {
  if (zone === undefined) return null;
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  return sign * (hours * 60 + minutes);
}

function formatOffset(offsetMinutes: number | null): string {
  if (offsetMinutes === null) return '';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  const minutes = String(absolute % 60).padStart(2, '0');
  return `${sign}${hours}:${minutes}`;
}
