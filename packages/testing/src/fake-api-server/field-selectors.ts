/**
 * Field selectors as apimachinery `fields.ParseSelector` reads them: `=`, `==`, `!=`,
 * comma is AND, `\`-escapes in values. Which labels a kind supports is the kind's
 * business (`metadata.name` and `metadata.namespace` always); any other gives the
 * real server's 400 `field label not supported: X`.
 */
import type { ResourceType } from './kinds.js';
import { type JsonObject, metaOf } from './objects.js';
import { badRequest } from './statuses.js';

/** One term: `field op value`. */
export interface FieldRequirement {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export type FieldSelector = readonly FieldRequirement[];

function splitTerms(source: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index] as string;
    if (char === '\\' && index + 1 < source.length) {
      current += char + (source[index + 1] as string);
      index += 1;
    } else if (char === ',') {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms;
}

function unescapeValue(value: string): string {
  let result = '';
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index] as string;
    if (char === '\\') {
      const next = value[index + 1];
      if (next !== '\\' && next !== ',' && next !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: ${JSON.stringify(value)}`);
      }
      result += next;
      index += 1;
    } else if (char === ',' || char === '=') {
      throw badRequest(
        `invalid field selector: unescaped character ${JSON.stringify(char)} in ${JSON.stringify(value)}`,
      );
    } else {
      result += char;
    }
  }
  return result;
}

function parseTerm(term: string): FieldRequirement {
  for (let index = 0; index < term.length; index += 1) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, index)) {
        const field = term.slice(0, index);
        return { field, op: op === '!=' ? '!=' : '=', value: unescapeValue(term.slice(index + op.length)) };
      }
    }
  }
  throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
}

/** Parses a `fieldSelector` query value; empty means "everything". */
export function parseFieldSelector(source: string): FieldSelector {
  if (source.trim() === '') return [];
  return splitTerms(source).map(parseTerm);
}

/** The value of a field label on an object of `type`, or a 400 if the kind does not support it. */
function fieldValue(type: ResourceType, field: string, object: JsonObject): string {
  if (field === 'metadata.name') return metaOf(object).name ?? '';
  if (field === 'metadata.namespace') return metaOf(object).namespace ?? '';
  const reader = type.fieldLabels[field];
  if (!reader) throw badRequest(`field label not supported: ${field}`);
  return reader(object);
}

/** Throws the real 400 if `selector` uses a label `type` does not support. */
export function checkFieldLabels(type: ResourceType, selector: FieldSelector): void {
  for (const requirement of selector) {
    const known =
      requirement.field === 'metadata.name' ||
      requirement.field === 'metadata.namespace' ||
      Object.hasOwn(type.fieldLabels, requirement.field);
    if (!known) throw badRequest(`field label not supported: ${requirement.field}`);
  }
}

/** Whether an object (in `type`'s shape) satisfies every term. */
export function matchesFields(type: ResourceType, selector: FieldSelector, object: JsonObject): boolean {
  return selector.every((requirement) => {
    const equal = fieldValue(type, requirement.field, object) === requirement.value;
    return requirement.op === '=' ? equal : !equal;
  });
}
