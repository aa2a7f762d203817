/**
 * JSON text exactly as Kopf writes it into annotations: Python's
 * `json.dumps(value, separators=(',', ':'))`, which is compact like
 * `JSON.stringify` but also escapes every character outside printable ASCII
 * (`ensure_ascii=True`: `é` → `\u00e9`, DEL → `\u007f`, astral characters as
 * surrogate pairs). Reading needs nothing special: `JSON.parse` reads both forms.
 *
 * Known and harmless difference: Python prints floats with integral values as
 * `1.0` and some exponents as `1e-07`; JS has one number type and prints `1` and
 * `1e-7`. Both sides parse either text into equal values, so nothing re-runs.
 */

const NON_ASCII = /[\u007f-\uffff]/g;

function escapeNonAscii(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Compact JSON with Python's ASCII escaping, byte-identical to Kopf's for strings,
 * booleans, integers, `null`, arrays and objects (keys in insertion order).
 *
 * @example
 * dumpKopfJson({ message: 'não' }) // '{"message":"n\\u00e3o"}'
 */
export function dumpKopfJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new TypeError(`Serialising to JSON failed: ${String(value)} has no JSON form.`);
  }
  return text.replace(NON_ASCII, escapeNonAscii);
}
