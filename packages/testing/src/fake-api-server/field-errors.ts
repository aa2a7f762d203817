/**
 * Validation errors as apimachinery's `field.Error` prints them, and the 422 `Invalid`
 * Status built from them (`errors.NewInvalid`): kubectl shows these messages verbatim,
 * so the wording (`metadata.name: Invalid value: "X": …`) follows the real server.
 */
import { failure, type StatusCause, type StatusError } from './statuses.js';

/** The kinds of field errors the fake reports (apimachinery `field.ErrorType`). */
export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueNotSupported'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany';

/** One failed check of one field. */
export interface FieldError {
  readonly type: FieldErrorType;
  /** The dotted path, e.g. `metadata.name`. */
  readonly field: string;
  /** The offending value, already rendered as Go's `%#v` would (`"x"`, `0x0`, `[]string{"a"}`). */
  readonly value?: string;
  readonly detail?: string;
}

/** Renders a value the way the real server's messages quote it. */
export function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return `[]string{${value.map((item) => JSON.stringify(item)).join(', ')}}`;
  }
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, value: goValue(value), detail };
}

export function requiredValue(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}

export function forbiddenValue(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

export function notSupportedValue(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = `supported values: ${supported.map((item) => JSON.stringify(item)).join(', ')}`;
  return { type: 'FieldValueNotSupported', field, value: goValue(value), detail };
}

/** The part after `field: `, as `field.Error.ErrorBody()` renders it. */
export function errorBody(error: FieldError): string {
  const label = {
    FieldValueInvalid: 'Invalid value',
    FieldValueRequired: 'Required value',
    FieldValueForbidden: 'Forbidden',
    FieldValueDuplicate: 'Duplicate value',
    FieldValueNotSupported: 'Unsupported value',
    FieldValueTypeInvalid: 'Invalid value',
    FieldValueTooLong: 'Too long',
    FieldValueTooMany: 'Too many',
  }[error.type];
  const withValue = error.value !== undefined ? `${label}: ${error.value}` : label;
  return error.detail ? `${withValue}: ${error.detail}` : withValue;
}

/** `field: body`, as `field.Error.Error()` renders it. */
export function errorText(error: FieldError): string {
  return `${error.field}: ${errorBody(error)}`;
}

/**
 * 422 Invalid: `KopfExample.kopf.dev "x" is invalid: <errors>`, with one cause per error.
 * `kind` is the Kind (not the plural), as `NewInvalid` takes a GroupKind.
 */
export function invalid(
  group: string,
  kind: string,
  name: string,
  errors: readonly FieldError[],
): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const texts = errors.map(errorText);
  const aggregate = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const message = texts.length
    ? `${qualifiedKind} "${name}" is invalid: ${aggregate}`
    : `${qualifiedKind} "${name}" is invalid`;
  const causes: StatusCause[] = errors.map((error) => ({
    reason: error.type,
    message: errorBody(error),
    field: error.field,
  }));
  return failure(422, 'Invalid', message, { name, group, kind, causes });
}
