/**
 * Reading a CRD version's `openAPIV3Schema` as apiextensions-apiserver's structural schema
 * sees it: the structure (`properties`, `additionalProperties`, `items`) and the
 * `x-kubernetes-*` flags that steer pruning, defaulting and validation. The schema stays
 * the CRD's plain JSON; these accessors give the parts, so pruning (`schema-pruning.ts`),
 * defaulting (`schema-defaults.ts`) and validation (`schema-validation.ts`) share one reading.
 */
import { isJsonObject, type JsonObject } from './objects.js';

/** One node of a structural schema: the CRD's JSON (`undefined` where nothing is declared). */
export type SchemaNode = JsonObject | undefined;

/** What `additionalProperties` says of a map's other keys. */
export type AdditionalProperties =
  /** Not given (or `false`): other keys are unknown. */
  | { readonly kind: 'none' }
  /** `true`: other keys are allowed, with nothing known of their values. */
  | { readonly kind: 'any' }
  /** A schema for every other key's value. */
  | { readonly kind: 'schema'; readonly schema: JsonObject };

/** The declared properties of a node (none: an empty record). */
export function propertiesOf(node: SchemaNode): Readonly<Record<string, JsonObject>> {
  const properties = node?.properties;
  if (!isJsonObject(properties)) return {};
  return Object.fromEntries(
    Object.entries(properties).filter((entry): entry is [string, JsonObject] => isJsonObject(entry[1])),
  );
}

/** A declared property's schema, if declared. */
export function propertyOf(node: SchemaNode, key: string): JsonObject | undefined {
  const properties = node?.properties;
  if (!isJsonObject(properties) || !Object.hasOwn(properties, key)) return undefined;
  const property = properties[key];
  return isJsonObject(property) ? property : undefined;
}

/** `additionalProperties` of a node. */
export function additionalPropertiesOf(node: SchemaNode): AdditionalProperties {
  const additional = node?.additionalProperties;
  if (isJsonObject(additional)) return { kind: 'schema', schema: additional };
  if (additional === true) return { kind: 'any' };
  return { kind: 'none' };
}

/** The schema of a list's items, if given. */
export function itemsOf(node: SchemaNode): SchemaNode {
  const items = node?.items;
  return isJsonObject(items) ? items : undefined;
}

/** `x-kubernetes-preserve-unknown-fields: true`. */
export function preservesUnknownFields(node: SchemaNode): boolean {
  return node?.['x-kubernetes-preserve-unknown-fields'] === true;
}

/** `x-kubernetes-embedded-resource: true`: apiVersion, kind and metadata of an object inside. */
export function isEmbeddedResource(node: SchemaNode): boolean {
  return node?.['x-kubernetes-embedded-resource'] === true;
}

/** `nullable: true`. */
export function isNullable(node: SchemaNode): boolean {
  return node?.nullable === true;
}

/** The node's `default`, if it has one (a `null` default counts as none, as in Go). */
export function defaultOf(node: SchemaNode): unknown {
  const value = node?.default;
  return value === null ? undefined : value;
}

/**
 * The schema for a map's key: the declared property, else `additionalProperties`' schema.
 * `known` is false when the key is not described at all.
 */
export function schemaForKey(node: SchemaNode, key: string): { known: boolean; schema: SchemaNode } {
  const property = propertyOf(node, key);
  if (property) return { known: true, schema: property };
  const additional = additionalPropertiesOf(node);
  if (additional.kind === 'schema') return { known: true, schema: additional.schema };
  if (additional.kind === 'any') return { known: true, schema: undefined };
  return { known: false, schema: undefined };
}

/** The root of a custom resource: treated as an embedded resource (apiVersion, kind, metadata kept). */
export function resourceRoot(schema: SchemaNode): JsonObject {
  return { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true };
}
