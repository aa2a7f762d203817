/**
 * Validation of custom resources against their version's `openAPIV3Schema`, worded as
 * kube-apiserver words it: kube-openapi's validators (type, nullable, enum, minimum/maximum,
 * multipleOf, minLength/maxLength, pattern, minItems/maxItems, min/maxProperties, required)
 * produce messages such as `spec.replicas in body must be of type integer: "string"`, and
 * apiextensions-apiserver turns them into field errors (`spec.replicas: Invalid value:
 * "string": …`, `spec.name: Too long: may not be more than 3 bytes`, `spec.items: Too many:
 * 3: must have at most 2 items`), string `format`s as `schema-formats.ts` checks them. On
 * update, values equal to their counterpart in the old object are not checked again (CRD
 * validation ratcheting). Not evaluated: `allOf`/`anyOf`/`oneOf`/`not`, `uniqueItems` and CEL rules
 * (`x-kubernetes-validations`); list-type uniqueness is `schema-list-types.ts`'s.
 */
import { type FieldError, notSupportedValue, requiredValue } from './field-errors.js';
import { isJsonObject, type JsonObject, jsonEqual } from './objects.js';
import { formatAccepts, supportedFormat } from './schema-formats.js';
import {
  additionalPropertiesOf,
  isNullable,
  itemsOf,
  propertiesOf,
  propertyOf,
  type SchemaNode,
} from './structural-schemas.js';

/** A value's counterpart in the old object, when there is one (ratcheting). */
type Counterpart = { readonly value: unknown } | undefined;

/**
 * Go's `%v` of a float64: shortest digits, exponent form below 1e-4 and from 1e6 on
 * (`%#v` keeps the plain form up to 1e21: `maxExponent` 21).
 */
export function goFloat(value: number, maxExponent = 6): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return '0';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < maxExponent) return String(value);
  const digits = String(Math.abs(exponent)).padStart(2, '0');
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
}

/** The JSON type kube-openapi sees a decoded value as. */
function typeNameOf(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

/** The Go format name kube-openapi gives a decoded value (`int64`, `float64`; others none). */
function goFormatOf(value: unknown): string {
  if (typeof value !== 'number') return '';
  return Number.isInteger(value) ? 'int64' : 'float64';
}

/** Renders a number as the message would: an integer as is, a float as Go prints float64. */
const numberText = (value: number): string => (Number.isInteger(value) ? String(value) : goFloat(value));

/** The schema's `type` list (`x-kubernetes-int-or-string` means integer or string). */
function typesOf(schema: JsonObject): string[] {
  if (schema['x-kubernetes-int-or-string'] === true) return ['integer', 'string'];
  return typeof schema.type === 'string' && schema.type ? [schema.type] : [];
}

const numeric = (schema: JsonObject, key: string): number | undefined =>
  typeof schema[key] === 'number' ? (schema[key] as number) : undefined;

/** Walks one value with its schema; `path` is kube-openapi's (`spec.items[0]`, `.extra` at the root). */
class Validator {
  readonly errors: FieldError[] = [];

  /** `prefix`: where the validated value sits in the object (`status` for a status update). */
  constructor(private readonly prefix = '') {}

  private field(path: string): string {
    const relative = path.replace(/^\./, '');
    if (!this.prefix) return relative;
    return relative ? `${this.prefix}.${relative}` : this.prefix;
  }

  private typeError(path: string, expected: string, actual: string): void {
    this.errors.push({
      type: 'FieldValueTypeInvalid',
      field: this.field(path),
      value: JSON.stringify(actual),
      detail: `${path} in body must be of type ${expected}: ${JSON.stringify(actual)}`,
    });
  }

  /** kube-openapi's type validator, with its special cases for a schema with a `format`. */
  private type(value: unknown, schema: JsonObject, types: readonly string[], path: string): void {
    const actual = typeNameOf(value);
    const typeOk =
      types.length === 0 || types.includes(actual) || (actual === 'integer' && types.includes('number'));
    const format = supportedFormat(schema.format);
    const stringOrList = typeof value === 'string' || Array.isArray(value);
    if (format && !stringOrList) {
      if (!typeOk) this.typeError(path, format, goFormatOf(value));
      return;
    }
    if (format && !types.includes('number') && !types.includes('integer')) return;
    if (!typeOk) this.typeError(path, types.join(','), actual);
  }

  private invalid(path: string, value: string, message: string): void {
    this.errors.push({ type: 'FieldValueInvalid', field: this.field(path), value, detail: message });
  }

  value(value: unknown, schema: SchemaNode, path: string, old: Counterpart): void {
    if (!schema || (old && jsonEqual(old.value, value))) return;
    const types = typesOf(schema);
    if (value === null) {
      if (types.length > 0 && !isNullable(schema)) this.typeError(path, types.join(','), 'null');
      this.enumeration(value, schema, path);
      return;
    }
    this.type(value, schema, types, path);
    const format = supportedFormat(schema.format);
    if (typeof value === 'string') this.string(value, schema, path);
    if (typeof value === 'string' && format && !formatAccepts(format, value)) {
      this.typeError(path, format, value);
    }
    if (typeof value === 'number') this.number(value, schema, path);
    if (Array.isArray(value)) this.array(value, schema, path, old);
    this.enumeration(value, schema, path);
    if (isJsonObject(value)) this.object(value, schema, path, old);
  }

  private string(value: string, schema: JsonObject, path: string): void {
    const length = [...value].length;
    const maxLength = numeric(schema, 'maxLength');
    const minLength = numeric(schema, 'minLength');
    if (maxLength !== undefined && length > maxLength) {
      const detail = `may not be more than ${maxLength} bytes`;
      this.errors.push({ type: 'FieldValueTooLong', field: this.field(path), detail });
    } else if (minLength !== undefined && length < minLength) {
      this.invalid(path, JSON.stringify(value), `${path} in body should be at least ${minLength} chars long`);
    } else if (typeof schema.pattern === 'string' && !matches(schema.pattern, value)) {
      this.invalid(path, JSON.stringify(value), `${path} in body should match '${schema.pattern}'`);
    }
  }

  private number(value: number, schema: JsonObject, path: string): void {
    const integer = Number.isInteger(value);
    const bound = (limit: number): string => (integer ? String(Math.trunc(limit)) : goFloat(limit));
    const rendered = numberText(value);
    const factor = numeric(schema, 'multipleOf');
    if (factor !== undefined && factor > 0 && !Number.isInteger(value / factor)) {
      this.invalid(path, rendered, `${path} in body should be a multiple of ${bound(factor)}`);
    }
    const minimum = numeric(schema, 'minimum');
    if (minimum !== undefined) {
      const limit = integer ? Math.trunc(minimum) : minimum;
      const exclusive = schema.exclusiveMinimum === true;
      if (exclusive ? value <= limit : value < limit) {
        const relation = exclusive ? 'greater than' : 'greater than or equal to';
        this.invalid(path, rendered, `${path} in body should be ${relation} ${bound(minimum)}`);
      }
    }
    const maximum = numeric(schema, 'maximum');
    if (maximum !== undefined) {
      const limit = integer ? Math.trunc(maximum) : maximum;
      const exclusive = schema.exclusiveMaximum === true;
      if (exclusive ? value >= limit : value > limit) {
        const relation = exclusive ? 'less than' : 'less than or equal to';
        this.invalid(path, rendered, `${path} in body should be ${relation} ${bound(maximum)}`);
      }
    }
  }

  private array(value: readonly unknown[], schema: JsonObject, path: string, old: Counterpart): void {
    const items = itemsOf(schema);
    const oldItems = old && Array.isArray(old.value) ? old.value : undefined;
    value.forEach((item, index) => {
      this.value(item, items, `${path}[${index}]`, counterpartInList(item, oldItems, schema));
    });
    const minItems = numeric(schema, 'minItems');
    const maxItems = numeric(schema, 'maxItems');
    if (minItems !== undefined && value.length < minItems) {
      this.invalid(path, String(value.length), `${path} in body should have at least ${minItems} items`);
    }
    if (maxItems !== undefined && value.length > maxItems) {
      const detail = `must have at most ${maxItems} items`;
      this.errors.push({
        type: 'FieldValueTooMany',
        field: this.field(path),
        value: String(value.length),
        detail,
      });
    }
  }

  private enumeration(value: unknown, schema: JsonObject, path: string): void {
    if (!Array.isArray(schema.enum) || schema.enum.length === 0) return;
    if (schema.enum.some((allowed) => jsonEqual(allowed, value))) return;
    const supported = schema.enum.map((allowed) =>
      typeof allowed === 'string' ? allowed : JSON.stringify(allowed),
    );
    const error = notSupportedValue(this.field(path), value, supported);
    this.errors.push(typeof value === 'number' ? { ...error, value: numberText(value) } : error);
  }

  private object(value: JsonObject, schema: JsonObject, path: string, old: Counterpart): void {
    const count = Object.keys(value).length;
    const minProperties = numeric(schema, 'minProperties');
    const maxProperties = numeric(schema, 'maxProperties');
    if (minProperties !== undefined && count < minProperties) {
      this.invalid(path, String(count), `${path} in body should have at least ${minProperties} properties`);
    }
    if (maxProperties !== undefined && count > maxProperties) {
      const detail = `must have at most ${maxProperties} items`;
      this.errors.push({ type: 'FieldValueTooMany', field: this.field(path), value: String(count), detail });
    }
    const properties = propertiesOf(schema);
    const oldObject = old && isJsonObject(old.value) ? old.value : undefined;
    const counterpart = (key: string): Counterpart =>
      oldObject && Object.hasOwn(oldObject, key) ? { value: oldObject[key] } : undefined;
    const additional = additionalPropertiesOf(schema);
    for (const [key, item] of Object.entries(value)) {
      if (additional.kind === 'schema' && !Object.hasOwn(properties, key)) {
        this.value(item, additional.schema, `${path}.${key}`, counterpart(key));
      }
    }
    for (const [key, property] of Object.entries(properties)) {
      if (Object.hasOwn(value, key))
        this.value(value[key], property, path ? `${path}.${key}` : key, counterpart(key));
    }
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    for (const key of required) {
      if (!Object.hasOwn(value, key)) this.errors.push(requiredValue(this.field(`${path}.${key}`)));
    }
  }
}

/** Go's regexp finds the pattern anywhere in the value (RE2 syntax, here as a JS regular expression). */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return new RegExp(pattern).test(value);
  }
}

/** The old item an item of a `x-kubernetes-list-type: map` list corresponds to (by its keys). */
function counterpartInList(
  item: unknown,
  oldItems: readonly unknown[] | undefined,
  schema: JsonObject,
): Counterpart {
  const keys = schema['x-kubernetes-list-map-keys'];
  if (
    !oldItems ||
    schema['x-kubernetes-list-type'] !== 'map' ||
    !Array.isArray(keys) ||
    !isJsonObject(item)
  ) {
    return undefined;
  }
  const match = oldItems.find(
    (candidate) =>
      isJsonObject(candidate) && keys.every((key) => jsonEqual(candidate[String(key)], item[String(key)])),
  );
  return match === undefined ? undefined : { value: match };
}

/**
 * The field errors of a custom resource against its schema; with `old` (an update), values
 * unchanged from the old object are not checked (ratcheting). Empty: valid.
 */
export function validateCustomResource(
  object: JsonObject,
  schema: SchemaNode,
  old?: JsonObject,
): FieldError[] {
  const validator = new Validator();
  validator.value(object, schema, '', old ? { value: old } : undefined);
  return validator.errors;
}

/**
 * A `/status` write's validation: only `status`, against the schema's `status` property, so
 * fields are `status.phase` while the messages name `phase` (as the real status strategy).
 */
export function validateCustomResourceStatus(
  object: JsonObject,
  schema: SchemaNode,
  old?: JsonObject,
): FieldError[] {
  if (!Object.hasOwn(object, 'status')) return [];
  const validator = new Validator('status');
  const counterpart = old && Object.hasOwn(old, 'status') ? { value: old.status } : undefined;
  validator.value(object.status, propertyOf(schema, 'status'), '', counterpart);
  return validator.errors;
}
