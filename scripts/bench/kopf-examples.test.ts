import { describe, expect, it } from 'vitest';
import { DIFF_BASE_ANNOTATION, exampleBody, exampleIndex, exampleName } from './kopf-examples.js';

describe('example names', () => {
  it('carry their index and read back', () => {
    expect(exampleName(42)).toBe('example-000042');
    expect(exampleIndex(exampleName(42))).toBe(42);
    expect(exampleIndex('kopf-example-1')).toBeUndefined();
    expect(exampleIndex(undefined)).toBeUndefined();
  });
});

describe('exampleBody', () => {
  it('is new unless asked for a handled one', () => {
    expect(exampleBody(1).metadata?.annotations).toBeUndefined();
  });

  it('stores the essence as the operator does: compact JSON of spec and labels, and a newline', () => {
    const body = exampleBody(7, true);
    expect(body.metadata?.annotations?.[DIFF_BASE_ANNOTATION]).toBe(
      '{"spec":{"index":7,"duration":"1m","field":"value","items":["item1","item2"]},' +
        '"metadata":{"labels":{"app":"bench"}}}\n',
    );
  });
});
