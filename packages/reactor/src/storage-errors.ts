/**
 * The errors of reading state that Kopf or kopf-ts stored on an object (progress
 * records, the last handled configuration) when it was edited into something
 * unreadable. Their messages name the record, the key it was read from, the
 * object, and the fix: correct or delete that annotation or field.
 */
import type { Body } from '@kopf/core';

/** `namespace/name`, `name`, or `an unnamed object`, as in the per-object log prefix. */
export function describeObject(body: Body): string {
  const name = body.metadata?.name ?? body.metadata?.generateName;
  const namespace = body.metadata?.namespace;
  if (name === undefined) return 'an unnamed object';
  return namespace ? `${namespace}/${name}` : name;
}

/** A stored handler progress record is not valid JSON of an object. */
export class ProgressRecordError extends Error {
  override name = 'ProgressRecordError';
}

/** A stored last-handled configuration (diff-base) is not valid JSON of an object. */
export class DiffBaseRecordError extends Error {
  override name = 'DiffBaseRecordError';
}

/** What was read, from where, and from which object: for the messages of the errors above. */
export interface StoredValueSource {
  /** E.g. `the progress of handler 'create_fn'` or `the last handled configuration`. */
  readonly what: string;
  /** E.g. `annotation kopf.zalando.org/create_fn` or `field status.kopf.progress`. */
  readonly where: string;
  /** What deleting the value leads to, e.g. `makes the handler start afresh`. */
  readonly consequence: string;
  readonly body: Body;
}

/**
 * Parses a stored JSON text that must hold an object; `undefined`, `null` and the
 * text `null` mean there is none.
 *
 * @throws the error made by `makeError` when the text is not JSON or not an object.
 */
export function parseStoredObject(
  text: unknown,
  source: StoredValueSource,
  makeError: (message: string, cause: unknown) => Error,
): Record<string, unknown> | undefined {
  if (text === undefined || text === null) return undefined;
  if (typeof text !== 'string') throw makeError(messageOf(source, 'is not a string of JSON'), undefined);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw makeError(messageOf(source, 'is not valid JSON'), error);
  }
  if (parsed === null) return undefined;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw makeError(messageOf(source, 'is not a JSON object'), undefined);
  }
  return parsed as Record<string, unknown>;
}

function messageOf(source: StoredValueSource, problem: string): string {
  return (
    `Reading ${source.what} from ${source.where} of ${describeObject(source.body)} failed: ` +
    `the stored value ${problem}. Fix or delete it; deleting it ${source.consequence}.`
  );
}
