/**
 * The field manager's view of a write: the schema of the kind (cached per type), what
 * the write may not own (`status` on a main resource with `/status`, everything but
 * `status` on `/status`), and the recording of a non-apply write's changes in
 * `metadata.managedFields` when the write names a manager.
 */
import { type FieldSchema, schemaOfType } from './field-schemas.js';
import { groupVersionOf, type ResourceType } from './kinds.js';
import { type ManagedWrite, recordUpdate } from './managed-fields.js';
import type { JsonObject } from './objects.js';

const schemaCache = new WeakMap<ResourceType, FieldSchema>();

/** What the field manager needs to know about a write to `type`'s `subresource`. */
export function managedWrite(
  type: ResourceType,
  subresource: string,
  manager: string,
  now: Date,
): ManagedWrite {
  let schema = schemaCache.get(type);
  if (!schema) {
    schema = schemaOfType(type);
    schemaCache.set(type, schema);
  }
  const ignored =
    subresource === 'status' ? ['spec', 'metadata'] : type.rules.statusSubresource ? ['status'] : [];
  return { manager, apiVersion: groupVersionOf(type), subresource, schema, ignored, now };
}

/** Records the write's changes in managedFields (when the write has a field manager). */
export function track(
  context: { readonly now: () => Date },
  type: ResourceType,
  subresource: string,
  before: JsonObject | undefined,
  after: JsonObject,
  options: { readonly fieldManager?: string | undefined },
): JsonObject {
  if (options.fieldManager === undefined) return after;
  return recordUpdate(before, after, managedWrite(type, subresource, options.fieldManager, context.now()));
}
