import { describe, expect, it } from 'vitest';
import { AdmissionRequestError } from './reviews.js';
import { errorAnswer, parseGoDuration } from './webhook-requests.js';

describe('parseGoDuration', () => {
  it.each([
    ['10s', 10],
    ['30s', 30],
    ['1m0s', 60],
    ['1m30s', 90],
    ['1.5s', 1.5],
    ['500ms', 0.5],
    ['1h', 3600],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseGoDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each([[null], [undefined], [''], ['10'], ['s'], ['10x'], ['-5s'], ['0s'], ['10s junk']])(
    'gives nothing for %o',
    (text) => {
      expect(parseGoDuration(text)).toBeUndefined();
    },
  );
});

describe('errorAnswer', () => {
  it('answers with the status of an AdmissionRequestError, as a Status', () => {
    expect(errorAnswer(new AdmissionRequestError('ambiguous', { status: 409 }))).toEqual({
      status: 409,
      body: { apiVersion: 'v1', kind: 'Status', status: 'Failure', message: 'ambiguous', code: 409 },
    });
  });

  it('answers 500 for anything else, naming it', () => {
    expect(errorAnswer('odd')).toMatchObject({
      status: 500,
      body: { code: 500, message: 'Serving the admission request failed: odd' },
    });
  });
});
