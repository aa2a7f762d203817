import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from './continue-tokens.js';

describe('continue tokens', () => {
  it('round-trip the snapshot revision and the start key', () => {
    const token = encodeContinue({ resourceVersion: 42, start: 'default/x\u0000' });
    expect(decodeContinue(token)).toEqual({ resourceVersion: 42, start: 'default/x\u0000' });
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({
      v: 'meta.k8s.io/v1',
      rv: 42,
      start: 'default/x\u0000',
    });
  });

  it('rejects garbage with a 400', () => {
    expect(() => decodeContinue('not-a-token')).toThrow(/continue key is not valid/);
  });
});
