/**
 * The string `format`s a CRD schema may use, as apiextensions-apiserver keeps them (others are
 * dropped from the schema and never checked), and the checks of kube-openapi's format registry
 * for the common ones: `date-time`, `date`, `uuid`/`uuid3`/`uuid4`/`uuid5`, `byte` (base64),
 * `ipv4`, `ipv6`, `cidr`, `hostname`, `hexcolor`, `ssn`, `password`. The remaining supported
 * names (`uri`, `email`, `mac`, `isbn*`, `creditcard`, `rgbcolor`, `bsonobjectid`, `duration`)
 * are accepted without a check.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Format names apiextensions-apiserver keeps (dashes removed, as the registry compares them). */
const SUPPORTED = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
]);

const normalized = (format: string): string => format.replaceAll('-', '');

/** The schema's format if the server keeps it, else `''` (ignored). */
export function supportedFormat(format: unknown): string {
  return typeof format === 'string' && SUPPORTED.has(normalized(format)) ? format : '';
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Go's `time.Parse("2006-01-02", s)`. */
function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const limit = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= limit;
}

/** strfmt's IsDateTime: a full date, `t`, then `hh:mm:ss[.frac](z|±hh:mm)`, case-insensitive. */
function isDateTime(text: string): boolean {
  if (text.length < 4) return false;
  const parts = text.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0] ?? '')) return false;
  const time = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(parts[1] ?? '');
  if (!time) return false;
  return (time[1] ?? '') <= '23' && (time[2] ?? '') <= '59' && (time[3] ?? '') <= '59';
}

/** IPv4 as netutils.ParseIPSloppy reads it: leading zeros are tolerated. */
function isSloppyIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

function isCidr(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  if (prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) return false;
  if (isSloppyIPv4(address)) return Number(prefix) <= 32;
  return isIPv6(address) && Number(prefix) <= 128;
}

const HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;

const CHECKS: Readonly<Record<string, (text: string) => boolean>> = {
  datetime: isDateTime,
  date: isDate,
  uuid: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text),
  uuid3: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text),
  uuid4: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(text),
  uuid5: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(text),
  byte: (text) =>
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(text),
  ipv4: (text) => isSloppyIPv4(text) || isIPv4(text),
  ipv6: (text) => isIPv6(text),
  cidr: isCidr,
  hostname: (text) =>
    HOSTNAME.test(text) && text.length <= 255 && text.split('.').every((part) => part.length <= 63),
  hexcolor: (text) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(text),
  ssn: (text) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(text),
};

/** Whether a string passes its (supported) format; formats without a check here pass. */
export function formatAccepts(format: string, text: string): boolean {
  return CHECKS[normalized(format)]?.(text) ?? true;
}
