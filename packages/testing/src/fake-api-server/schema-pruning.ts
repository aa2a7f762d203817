/**
 * Pruning of custom resources, as apiextensions-apiserver does it while decoding a request
 * body (or a patched object): fields the version's structural schema does not describe are
 * dropped, except below `x-kubernetes-preserve-unknown-fields: true`; `apiVersion`, `kind`
 * and `metadata` of the root and of `x-kubernetes-embedded-resource` objects are kept, and
 * unknown fields inside such `metadata` are dropped as ObjectMeta's decoding drops them;
 * non-nullable `null`s without a default go too. The paths of the dropped fields
 * (`spec.foo`, `spec.items[0].bar`, `metadata.foo`) are what `fieldValidation` reports.
 */
import { isJsonObject, type JsonObject } from './objects.js';
import {
  defaultOf,
  isEmbeddedResource,
  isNullable,
  itemsOf,
  preservesUnknownFields,
  propertyOf,
  resourceRoot,
  type SchemaNode,
  schemaForKey,
} from './structural-schemas.js';

/** What pruning left, and the paths of what it dropped. */
export interface PruneOutcome {
  readonly object: JsonObject;
  /** Sorted within each group: metadata first, then the schema's unknown fields, then embedded metadata. */
  readonly unknownFields: readonly string[];
}

const TYPE_AND_METADATA = new Set(['apiVersion', 'kind', 'metadata']);

/** The JSON fields of ObjectMeta, OwnerReference and ManagedFieldsEntry (apimachinery meta/v1). */
const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);
const OWNER_REFERENCE_FIELDS = new Set([
  'apiVersion',
  'kind',
  'name',
  'uid',
  'controller',
  'blockOwnerDeletion',
]);
const MANAGED_FIELDS_ENTRY_FIELDS = new Set([
  'manager',
  'operation',
  'apiVersion',
  'time',
  'fieldsType',
  'fieldsV1',
  'subresource',
]);

/** Collects unknown field paths while walking (`a.b[0].c`). */
class PathRecorder {
  readonly paths: string[] = [];
  record(parent: string, key: string): void {
    this.paths.push(parent ? `${parent}.${key}` : key);
  }
}

const child = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

function dropUnknownKeys(
  object: JsonObject,
  known: ReadonlySet<string>,
  path: string,
  recorder: PathRecorder,
): void {
  for (const key of Object.keys(object)) {
    if (known.has(key)) continue;
    recorder.record(path, key);
    delete object[key];
  }
}

/** ObjectMeta's strict decoding: unknown fields of metadata (and its owner references, managed fields). */
function pruneMetadata(holder: JsonObject, prefix: string, recorder: PathRecorder): void {
  const metadata = holder.metadata;
  if (!isJsonObject(metadata)) return;
  const path = child(prefix, 'metadata');
  dropUnknownKeys(metadata, OBJECT_META_FIELDS, path, recorder);
  const lists = [
    ['ownerReferences', OWNER_REFERENCE_FIELDS],
    ['managedFields', MANAGED_FIELDS_ENTRY_FIELDS],
  ] as const;
  for (const [list, fields] of lists) {
    const entries = metadata[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (isJsonObject(entry)) dropUnknownKeys(entry, fields, `${path}.${list}[${index}]`, recorder);
    });
  }
}

function pruneValue(value: unknown, schema: SchemaNode, path: string, recorder: PathRecorder): void {
  if (schema && preservesUnknownFields(schema)) {
    keepUnknown(value, schema, path, recorder);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      pruneValue(item, schema ? itemsOf(schema) : undefined, `${path}[${index}]`, recorder);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    if (schema && isEmbeddedResource(schema) && TYPE_AND_METADATA.has(key)) continue;
    const { known, schema: keySchema } = schema
      ? schemaForKey(schema, key)
      : { known: false, schema: undefined };
    if (known) pruneValue(value[key], keySchema, child(path, key), recorder);
    else {
      if (!TYPE_AND_METADATA.has(key) || path !== '') recorder.record(path, key);
      delete value[key];
    }
  }
}

/** Below `x-kubernetes-preserve-unknown-fields`: unknown keys stay, described ones are still pruned inside. */
function keepUnknown(value: unknown, schema: JsonObject, path: string, recorder: PathRecorder): void {
  if (Array.isArray(value)) {
    const items = itemsOf(schema);
    value.forEach((item, index) => {
      if (items) keepUnknown(item, items, `${path}[${index}]`, recorder);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    if (isEmbeddedResource(schema) && TYPE_AND_METADATA.has(key)) continue;
    const { known, schema: keySchema } = schemaForKey(schema, key);
    if (known) pruneValue(value[key], keySchema, child(path, key), recorder);
  }
}

/** Drops `null`s the schema does not allow and could not default (PruneNonNullableNullsWithoutDefaults). */
function dropForbiddenNulls(value: unknown, schema: SchemaNode): void {
  if (Array.isArray(value)) {
    for (const item of value) dropForbiddenNulls(item, schema ? itemsOf(schema) : undefined);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    const keySchema = schema ? schemaForKey(schema, key).schema : undefined;
    if (value[key] === null && keySchema && !isNullable(keySchema) && defaultOf(keySchema) === undefined) {
      delete value[key];
    } else dropForbiddenNulls(value[key], keySchema);
  }
}

/** The metadata of embedded resources below the root (schemaobjectmeta.Coerce). */
function pruneEmbeddedMetadata(
  value: unknown,
  schema: SchemaNode,
  path: string,
  recorder: PathRecorder,
): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = itemsOf(schema);
    value.forEach((item, index) => {
      pruneEmbeddedMetadata(item, items, `${path}[${index}]`, recorder);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  if (isEmbeddedResource(schema) && path !== '') pruneMetadata(value, path, recorder);
  for (const key of Object.keys(value)) {
    const property = schemaForKey(schema, key);
    if (!property.known) continue;
    const step = propertyOf(schema, key) ? child(path, key) : `${path}[${key}]`;
    pruneEmbeddedMetadata(value[key], property.schema, step, recorder);
  }
}

/**
 * Prunes a custom resource against its version's `openAPIV3Schema` (`undefined`: no schema,
 * only metadata is cleaned). Returns a new object; the input is not changed.
 */
export function pruneCustomResource(object: JsonObject, schema: SchemaNode): PruneOutcome {
  const pruned = structuredClone(object);
  const metadata = new PathRecorder();
  pruneMetadata(pruned, '', metadata);
  if (!schema) return { object: pruned, unknownFields: metadata.paths.sort() };
  const root = resourceRoot(schema);
  const unknown = new PathRecorder();
  pruneValue(pruned, root, '', unknown);
  dropForbiddenNulls(pruned, root);
  const embedded = new PathRecorder();
  pruneEmbeddedMetadata(pruned, root, '', embedded);
  return {
    object: pruned,
    unknownFields: [...metadata.paths.sort(), ...unknown.paths.sort(), ...embedded.paths.sort()],
  };
}
