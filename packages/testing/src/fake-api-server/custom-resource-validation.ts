/**
 * What the custom resource strategy validates beyond object metadata: the whole object
 * against the version's schema (only `status` for a `/status` write), then the list-type
 * uniqueness rules, which an update only enforces when the old object met them. Built-in
 * kinds and schema-less versions have nothing to check here.
 */
import type { FieldError } from './field-errors.js';
import type { ResourceType } from './kinds.js';
import type { JsonObject } from './objects.js';
import { listTypeErrors } from './schema-list-types.js';
import { validateCustomResource, validateCustomResourceStatus } from './schema-validation.js';

/** The schema errors of a custom resource write (`old` for updates; `subresource` '' or `status`). */
export function customResourceErrors(
  type: ResourceType,
  object: JsonObject,
  old: JsonObject | undefined,
  subresource: string,
): FieldError[] {
  if (type.builtin || !type.schema) return [];
  const schema = type.schema;
  const errors =
    subresource === 'status'
      ? validateCustomResourceStatus(object, schema, old)
      : validateCustomResource(object, schema, old);
  const listErrors = listTypeErrors(object, schema);
  if (listErrors.length > 0 && (!old || listTypeErrors(old, schema).length === 0)) errors.push(...listErrors);
  return errors;
}
