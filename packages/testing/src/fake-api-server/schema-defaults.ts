/**
 * Defaulting of custom resources from the `default` values of their structural schema, as
 * apiextensions-apiserver applies them to a decoded request (after pruning) and again after
 * mutating webhooks: a missing property, or a `null` one that is not nullable, gets a copy
 * of its default; maps default their declared properties only when the map itself is
 * present; list items and `additionalProperties` values that are forbidden `null`s are
 * defaulted too. Defaults are applied from the outside in, so a defaulted object is
 * defaulted inside as well.
 */
import { isJsonObject, type JsonObject } from './objects.js';
import {
  additionalPropertiesOf,
  defaultOf,
  isNullable,
  itemsOf,
  propertiesOf,
  propertyOf,
  type SchemaNode,
} from './structural-schemas.js';

const isForbiddenNull = (value: unknown, schema: SchemaNode): boolean =>
  value === null && schema !== undefined && !isNullable(schema);

function defaultValue(value: unknown, schema: SchemaNode): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = itemsOf(schema);
    value.forEach((item, index) => {
      if (isForbiddenNull(item, items)) value[index] = structuredClone(defaultOf(items) ?? null);
      defaultValue(value[index], items);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, property] of Object.entries(propertiesOf(schema))) {
    const fallback = defaultOf(property);
    if (fallback === undefined) continue;
    if (!Object.hasOwn(value, key) || isForbiddenNull(value[key], property)) {
      value[key] = structuredClone(fallback);
    }
  }
  const additional = additionalPropertiesOf(schema);
  for (const key of Object.keys(value)) {
    const property = propertyOf(schema, key);
    if (property) defaultValue(value[key], property);
    else if (additional.kind === 'schema') {
      if (isForbiddenNull(value[key], additional.schema)) {
        value[key] = structuredClone(defaultOf(additional.schema) ?? null);
      }
      defaultValue(value[key], additional.schema);
    }
  }
}

/** The object with the schema's defaults applied (a new object; the input is not changed). */
export function defaultCustomResource(object: JsonObject, schema: SchemaNode): JsonObject {
  return applyDefaults(structuredClone(object), schema);
}

/** Applies the schema's defaults to an object of the caller's own, in place; returns it. */
export function applyDefaults(object: JsonObject, schema: SchemaNode): JsonObject {
  defaultValue(object, schema);
  return object;
}
