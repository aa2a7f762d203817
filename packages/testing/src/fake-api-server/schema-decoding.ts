/**
 * The decoding step of custom resource writes, where kube-apiserver prunes and defaults
 * (apiextensions-apiserver's schema-coercing decoder) and applies `fieldValidation` to what
 * it pruned: `Strict` refuses the request, `Warn` (the default) answers with one
 * `Warning: 299 - "unknown field \"spec.foo\""` header per field, `Ignore` says nothing.
 * A create or update body is refused as a decode error (400 BadRequest, `KopfExample in
 * version "v1" cannot be handled as a KopfExample: strict decoding error: unknown field
 * "spec.foo"`); a patched object as the patch handler does (422, `patch: Invalid value:
 * "<patched JSON>": strict decoding error: …`). Server-side apply has no such step: its typed
 * conversion fails on any field the schema lacks (500, `failed to create typed patch object
 * (…): .spec.foo: field not declared in schema`). Built-in kinds pass through unchanged.
 */
import { invalid, invalidValue } from './field-errors.js';
import type { ResourceType } from './kinds.js';
import { isJsonObject, type JsonObject, sortedJson } from './objects.js';
import { applyDefaults } from './schema-defaults.js';
import { pruneCustomResource } from './schema-pruning.js';
import { badRequest, StatusError } from './statuses.js';

/** The `fieldValidation` query parameter's values. */
export const FIELD_VALIDATIONS = ['Ignore', 'Strict', 'Warn'] as const;
export type FieldValidation = (typeof FIELD_VALIDATIONS)[number];

/** What decoding needs of a write's options. */
export interface DecodingOptions {
  /** Absent: `Warn`, as kube-apiserver defaults it. */
  readonly fieldValidation?: FieldValidation;
  /** Where `Warn` puts its warnings (none: they are dropped). */
  readonly warnings?: string[];
}

/** A custom resource pruned and defaulted, with the paths of the fields pruning dropped. */
export interface SettledObject {
  readonly object: JsonObject;
  readonly unknownFields: readonly string[];
}

/** Prunes and defaults a custom resource by its version's schema; built-ins come back as they are. */
export function settleObject(type: ResourceType, object: JsonObject): SettledObject {
  if (type.builtin) return { object, unknownFields: [] };
  const pruned = pruneCustomResource(object, type.schema); // a new object: defaulted in place
  return {
    object: type.schema ? applyDefaults(pruned.object, type.schema) : pruned.object,
    unknownFields: pruned.unknownFields,
  };
}

/** runtime.NewStrictDecodingError's text for the pruned fields. */
export function strictDecodingMessage(unknownFields: readonly string[]): string {
  return `strict decoding error: ${unknownFields.map((path) => `unknown field "${path}"`).join(', ')}`;
}

function addWarnings(options: DecodingOptions, unknownFields: readonly string[]): void {
  if (!options.warnings) return;
  for (const path of unknownFields) {
    const warning = `unknown field "${path}"`;
    if (!options.warnings.includes(warning)) options.warnings.push(warning);
  }
}

function decode(
  type: ResourceType,
  object: JsonObject,
  options: DecodingOptions,
  refuse: (message: string) => Error,
): JsonObject {
  const settled = settleObject(type, object);
  if (settled.unknownFields.length === 0) return settled.object;
  const directive = options.fieldValidation ?? 'Warn';
  if (directive === 'Strict') throw refuse(strictDecodingMessage(settled.unknownFields));
  if (directive === 'Warn') addWarnings(options, settled.unknownFields);
  return settled.object;
}

/** Decodes a create or update body (apiVersion and kind already checked against the endpoint). */
export function decodeBody(type: ResourceType, object: JsonObject, options: DecodingOptions): JsonObject {
  return decode(type, object, options, (message) =>
    badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${message}`),
  );
}

/** Decodes the result of a merge or JSON patch. */
export function decodePatched(type: ResourceType, object: JsonObject, options: DecodingOptions): JsonObject {
  return decode(type, object, options, (message) =>
    invalid('', '', '', [invalidValue('patch', sortedJson(object), message)]),
  );
}

/**
 * Server-side apply's typed conversion of an applied configuration (structured-merge-diff):
 * a field the schema does not declare fails the request whatever `fieldValidation` says, as
 * an error that is not a Status (500, no reason).
 */
export function checkAppliedFields(type: ResourceType, config: JsonObject): void {
  const { unknownFields } = settleObject(type, config);
  if (unknownFields.length === 0) return;
  const errors = unknownFields.map((path) => `.${path}: field not declared in schema`);
  const text =
    errors.length === 1 ? errors[0] : ['errors:', ...errors.map((error) => `  ${error}`)].join('\n');
  const meta = isJsonObject(config.metadata) ? config.metadata : {};
  const where = `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`;
  const gvk = `${type.group}/${type.version}, Kind=${type.kind}`;
  throw new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `failed to create typed patch object (${where}; ${gvk}): ${text}`,
    code: 500,
  });
}
