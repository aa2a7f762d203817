/**
 * The generic object checks of apimachinery `ValidateObjectMeta`: name formats (DNS-1123
 * subdomain or label, DNS-1035 label, path segment), required names, label and
 * annotation syntax, and qualified finalizer names, with the real messages.
 */
import { type FieldError, invalidValue, requiredValue } from './field-errors.js';
import type { NameRule } from './kinds.js';
import type { ObjectMeta } from './objects.js';

const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const MESSAGES: Readonly<Record<Exclude<NameRule, 'path-segment'>, string>> = {
  subdomain:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  label:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  'label-1035':
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
};

/** Checks a name against a rule; returns the field errors (empty when valid). */
export function checkName(name: string, rule: NameRule, field = 'metadata.name'): FieldError[] {
  if (rule === 'path-segment') {
    if (name === '.' || name === '..') return [invalidValue(field, name, `may not be '${name}'`)];
    const bad = ['/', '%'].find((char) => name.includes(char));
    return bad ? [invalidValue(field, name, `may not contain '${bad}'`)] : [];
  }
  const max = rule === 'subdomain' ? 253 : 63;
  const pattern = rule === 'subdomain' ? SUBDOMAIN : rule === 'label' ? LABEL_1123 : LABEL_1035;
  const errors: FieldError[] = [];
  if (name.length > max) errors.push(invalidValue(field, name, `must be no more than ${max} characters`));
  if (!pattern.test(name)) errors.push(invalidValue(field, name, MESSAGES[rule]));
  return errors;
}

/** A qualified key (`prefix/name`): labels, annotations and finalizers use this form. */
export function checkQualifiedName(key: string, field: string): FieldError[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const errors: FieldError[] = [];
  if (prefix !== undefined && (prefix === '' || !SUBDOMAIN.test(prefix) || prefix.length > 253)) {
    errors.push(invalidValue(field, key, 'prefix part must be a lowercase RFC 1123 subdomain'));
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    errors.push(
      invalidValue(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    );
  }
  return errors;
}

function checkLabels(labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  return Object.entries(labels as Record<string, unknown>).flatMap(([key, value]) => {
    const errors = checkQualifiedName(key, 'metadata.labels');
    const text = typeof value === 'string' ? value : '';
    if (typeof value !== 'string' || text.length > 63 || !LABEL_VALUE.test(text)) {
      errors.push(
        invalidValue(
          'metadata.labels',
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
    return errors;
  });
}

/** apimachinery's `TotalAnnotationSizeLimitB`: keys and values of all annotations together. */
const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

function checkAnnotations(annotations: unknown): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  const entries = Object.entries(annotations as Record<string, unknown>);
  const errors = entries.flatMap(([key, value]) => {
    const found = checkQualifiedName(key.toLowerCase(), 'metadata.annotations');
    if (typeof value !== 'string')
      found.push(invalidValue(`metadata.annotations.${key}`, value, 'must be a string'));
    return found;
  });
  const size = entries.reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)),
    0,
  );
  if (size > ANNOTATIONS_SIZE_LIMIT) {
    errors.push({
      type: 'FieldValueTooLong',
      field: 'metadata.annotations',
      detail: `may not be more than ${ANNOTATIONS_SIZE_LIMIT} bytes`,
    });
  }
  return errors;
}

function checkFinalizers(finalizers: unknown): FieldError[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers))
    return [invalidValue('metadata.finalizers', finalizers, 'must be a list of strings')];
  return finalizers.flatMap((finalizer, index) =>
    typeof finalizer === 'string'
      ? checkQualifiedName(finalizer, `metadata.finalizers[${index}]`)
      : [invalidValue(`metadata.finalizers[${index}]`, finalizer, 'must be a string')],
  );
}

/** The ObjectMeta checks of a create or update (name, labels, annotations, finalizers). */
export function validateMeta(meta: ObjectMeta, rule: NameRule): FieldError[] {
  const name = meta.name ?? '';
  const nameErrors = name
    ? checkName(name, rule)
    : [requiredValue('metadata.name', 'name or generateName is required')];
  return [
    ...nameErrors,
    ...checkLabels(meta.labels),
    ...checkAnnotations(meta.annotations),
    ...checkFinalizers(meta.finalizers),
  ];
}
