import {
  AdmissionError,
  on,
  PermanentError,
  Registry,
  TemporaryError,
  type WebhookHandler,
} from '@kopf/core';
import { describe, expect, it } from 'vitest';
import {
  AdmissionRequestError,
  type AdmissionReview,
  buildAnswer,
  failureMessage,
  parseReview,
} from './reviews.js';

const registry = new Registry();
const handler: WebhookHandler = on.validate('kopfexamples', { registry, id: 'check' }, () => {});

function raw(request: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      resource: { group: 'kopf.dev', version: 'v1', resource: 'kopfexamples' },
      operation: 'UPDATE',
      userInfo: { username: 'alice', groups: ['devs'] },
      object: { metadata: { name: 'x' }, spec: { a: 2 } },
      oldObject: { metadata: { name: 'x' }, spec: { a: 1 } },
      subResource: 'status',
      dryRun: true,
      ...request,
    },
  };
}

describe('parseReview', () => {
  it('reads the request of a v1 review', () => {
    const review = parseReview(raw());
    expect(review).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'u-1',
        resource: { group: 'kopf.dev', version: 'v1', resource: 'kopfexamples' },
        subresource: 'status',
        operation: 'UPDATE',
        userInfo: { username: 'alice', groups: ['devs'] },
        object: { metadata: { name: 'x' }, spec: { a: 2 } },
        oldObject: { metadata: { name: 'x' }, spec: { a: 1 } },
        dryRun: true,
      },
    });
  });

  it('takes null objects as absent, and no subresource or dryRun as none', () => {
    const { request } = parseReview(raw({ oldObject: null, subResource: '', dryRun: undefined }));
    expect(request.oldObject).toBeUndefined();
    expect(request.subresource).toBeUndefined();
    expect(request.dryRun).toBe(false);
  });

  it.each([
    ['a string', 'hello', /the body is not a JSON object/],
    [
      'another API version',
      { ...raw(), apiVersion: 'v1' },
      /apiVersion "v1" is not one of admission\.k8s\.io\/v1/,
    ],
    ['a non-object object', raw({ object: 'x' }), /request\.object is not an object/],
    ['an empty uid', raw({ uid: '' }), /request\.uid is missing/],
  ])('refuses %s with a 400 AdmissionRequestError that names the fix', (_, body, message) => {
    let caught: unknown;
    try {
      parseReview(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AdmissionRequestError);
    expect((caught as AdmissionRequestError).status).toBe(400);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toMatch(/as kube-apiserver does\.$/);
  });
});

describe('buildAnswer', () => {
  const review: AdmissionReview = parseReview(raw());

  it('allows when nothing failed, with warnings and the patch in base64', () => {
    const answer = buildAnswer(review, {
      failures: [],
      warnings: ['careful'],
      patch: [{ op: 'add', path: '/spec/b', value: 1 }],
    });
    expect(answer).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'u-1',
        allowed: true,
        warnings: ['careful'],
        patch: Buffer.from('[{"op":"add","path":"/spec/b","value":1}]').toString('base64'),
        patchType: 'JSONPatch',
      },
    });
  });

  it('reports AdmissionError first, then PermanentError, TemporaryError, others; no patch when denied', () => {
    const failures = [
      { handler, error: new Error('plain') },
      { handler, error: new TemporaryError('later') },
      { handler, error: new PermanentError('never') },
      { handler, error: new AdmissionError('no way', { code: 422 }) },
    ];
    const answer = buildAnswer(review, { failures, warnings: [], patch: [{ op: 'remove', path: '/spec' }] });
    expect(answer.response).toEqual({
      uid: 'u-1',
      allowed: false,
      status: { code: 422, message: 'no way', reason: 'Invalid' },
    });
    expect(
      buildAnswer(review, { failures: failures.slice(0, 3), warnings: [], patch: [] }).response.status,
    ).toEqual({ code: 500, message: 'never', reason: 'InternalError' });
    expect(
      buildAnswer(review, { failures: failures.slice(0, 2), warnings: [], patch: [] }).response.status
        ?.message,
    ).toBe('later');
  });

  it('keeps the first of equal rank, and gives no reason for unusual codes', () => {
    const failures = [
      { handler, error: new AdmissionError('first', { code: 555 }) },
      { handler, error: new AdmissionError('second', { code: 403 }) },
    ];
    expect(buildAnswer(review, { failures, warnings: [], patch: [] }).response.status).toEqual({
      code: 555,
      message: 'first',
    });
  });
});

describe('failureMessage', () => {
  it("is the handler's own message for Kopf errors, the name when it is empty", () => {
    expect(failureMessage({ handler, error: new AdmissionError('Change the field.') })).toBe(
      'Change the field.',
    );
    expect(failureMessage({ handler, error: new PermanentError() })).toBe('PermanentError');
  });

  it('names the handler and the error for anything else', () => {
    expect(failureMessage({ handler, error: new RangeError('too far') })).toBe(
      "Webhook 'check' failed with RangeError: too far",
    );
    expect(failureMessage({ handler, error: 'a string' })).toBe("Webhook 'check' failed with a string");
  });
});
