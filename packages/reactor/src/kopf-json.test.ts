import { describe, expect, it } from 'vitest';
import { dumpKopfJson } from './kopf-json.js';

describe('dumpKopfJson', () => {
  it('writes compact JSON in insertion order, like json.dumps with compact separators', () => {
    expect(dumpKopfJson({ a: 1.5, b: [true, false, null], c: {} })).toBe(
      '{"a":1.5,"b":[true,false,null],"c":{}}',
    );
  });

  it('escapes non-ASCII characters as Python does by default (ensure_ascii)', () => {
    // Expected text produced by Python 3.11: json.dumps({...}, separators=(',', ':')).
    const value = { message: 'não 🎉 \u007f \u2028 "q" \\ \n\t\u0001' };
    expect(dumpKopfJson(value)).toBe(
      '{"message":"n\\u00e3o \\ud83c\\udf89 \\u007f \\u2028 \\"q\\" \\\\ \\n\\t\\u0001"}',
    );
  });

  it('reads back into the same value', () => {
    const value = { message: 'ünïcödé ✓', nested: { list: ['x', 1] } };
    expect(JSON.parse(dumpKopfJson(value))).toEqual(value);
  });

  it('refuses values without a JSON form', () => {
    expect(() => dumpKopfJson(undefined)).toThrow(TypeError);
  });
});
