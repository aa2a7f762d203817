/**
 * The uniqueness rules of `x-kubernetes-list-type` in a custom resource's schema, checked
 * after the schema validation as apiextensions-apiserver does: a `set` may not hold the same
 * value twice, a `map` list not two items with the same `x-kubernetes-list-map-keys`. The
 * second and later occurrences are reported (`spec.hosts[1]: Duplicate value:
 * map[string]interface {}{"name":"a"}`: the value as Go's `%#v` prints it).
 */
import type { FieldError } from './field-errors.js';
import { isJsonObject, type JsonObject, sortedJson } from './objects.js';
import { goFloat } from './schema-validation.js';
import { additionalPropertiesOf, itemsOf, propertiesOf, type SchemaNode } from './structural-schemas.js';

/** Go's `%#v` of a decoded JSON value (`map[string]interface {}{"a":1}`, `[]interface {}{"x"}`). */
export function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFloat(value, 21);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  const entries = Object.keys(value as JsonObject)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${goSyntax((value as JsonObject)[key])}`);
  return `map[string]interface {}{${entries.join(', ')}}`;
}

/** The indices of second (only) occurrences, as validateListSet reports them. */
function repeatedIndices(values: readonly unknown[]): number[] {
  const seen = new Map<string, number>();
  const repeated: number[] = [];
  values.forEach((value, index) => {
    const key = sortedJson(value ?? null);
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    if (times === 1) repeated.push(index);
  });
  return repeated;
}

function duplicate(field: string, value: unknown): FieldError {
  return {
    type: 'FieldValueDuplicate',
    field,
    value: goSyntax(value),
  };
}

function listErrors(list: readonly unknown[], schema: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const listType = schema['x-kubernetes-list-type'];
  const keys = Array.isArray(schema['x-kubernetes-list-map-keys'])
    ? schema['x-kubernetes-list-map-keys'].map(String)
    : [];
  if (listType === 'set') {
    for (const index of repeatedIndices(list)) errors.push(duplicate(`${path}[${index}]`, list[index]));
  } else if (listType === 'map' && keys.length > 0) {
    const notObject = list.findIndex((item) => item !== null && !isJsonObject(item));
    if (notObject >= 0) {
      const value = list[notObject];
      const rendered = goSyntax(value);
      return [
        {
          type: 'FieldValueInvalid',
          field: `${path}[${notObject}]`,
          value: rendered,
          detail: 'must be an object for an array of list-type map',
        },
      ];
    }
    const keyOf = (item: unknown): JsonObject =>
      Object.fromEntries(
        keys
          .filter((key) => isJsonObject(item) && Object.hasOwn(item, key))
          .map((key) => [key, (item as JsonObject)[key]]),
      );
    const itemKeys = list.map(keyOf);
    const comparable =
      keys.length === 1
        ? itemKeys.map((key) => (Object.keys(key).length ? Object.values(key)[0] : { unspecified: true }))
        : itemKeys;
    for (const index of repeatedIndices(comparable))
      errors.push(duplicate(`${path}[${index}]`, itemKeys[index]));
  }
  const items = itemsOf(schema);
  if (items) {
    list.forEach((item, index) => {
      errors.push(...valueErrors(item, items, `${path}[${index}]`));
    });
  }
  return errors;
}

function valueErrors(value: unknown, schema: SchemaNode, path: string): FieldError[] {
  if (!schema) return [];
  if (Array.isArray(value)) return listErrors(value, schema, path);
  if (!isJsonObject(value)) return [];
  const errors: FieldError[] = [];
  const additional = additionalPropertiesOf(schema);
  if (additional.kind === 'schema') {
    for (const [key, item] of Object.entries(value))
      errors.push(...valueErrors(item, additional.schema, `${path}[${key}]`));
  }
  const properties = propertiesOf(schema);
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (property) errors.push(...valueErrors(item, property, path ? `${path}.${key}` : key));
  }
  return errors;
}

/** The duplicate items of `set` and `map` lists in a custom resource; empty: none. */
export function listTypeErrors(object: JsonObject, schema: SchemaNode): FieldError[] {
  return valueErrors(object, schema, '');
}
