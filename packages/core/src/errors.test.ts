import { describe, expect, it } from 'vitest';
import { AdmissionError, HandlerRetriesError, PermanentError, TemporaryError } from './errors.js';

describe('TemporaryError', () => {
  it('defaults the delay to 60 seconds as Kopf does', () => {
    expect(new TemporaryError('later').delay).toBe(60);
  });

  it('keeps an explicit delay and the cause', () => {
    const cause = new Error('root');
    const error = new TemporaryError('later', { delay: 5, cause });
    expect([error.delay, error.cause, error.name]).toEqual([5, cause, 'TemporaryError']);
  });

  it('rejects a negative delay with a message naming it', () => {
    expect(() => new TemporaryError('x', { delay: -1 })).toThrow(/non-negative .* got -1/);
  });
});

describe('PermanentError', () => {
  it('is the base of the retries and admission errors', () => {
    expect(new HandlerRetriesError('x')).toBeInstanceOf(PermanentError);
    expect(new AdmissionError('no')).toBeInstanceOf(PermanentError);
    expect(new AdmissionError('no').code).toBe(500);
  });
});
