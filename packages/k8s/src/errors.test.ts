import { describe, expect, it } from 'vitest';
import { ApiConflictError, ApiError, ApiNotFoundError, apiErrorFor } from './errors.js';

describe('apiErrorFor', () => {
  it('picks the class by code and keeps the Status message and reason', () => {
    const error = apiErrorFor(
      404,
      { kind: 'Status', message: 'kopfexamples.kopf.dev "x" not found', reason: 'NotFound', code: 404 },
      'GET kopfexamples/x',
    );
    expect(error).toBeInstanceOf(ApiNotFoundError);
    expect(error.message).toBe('GET kopfexamples/x failed: kopfexamples.kopf.dev "x" not found');
    expect([error.reason, error.temporary]).toEqual(['NotFound', false]);
  });

  it('classifies conflicts, throttling and server errors as temporary', () => {
    expect(apiErrorFor(409, undefined, 'PATCH')).toBeInstanceOf(ApiConflictError);
    expect([409, 429, 500, 503].map((code) => apiErrorFor(code, '', 'x').temporary)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(apiErrorFor(400, 'bad', 'x')).toBeInstanceOf(ApiError);
    expect(apiErrorFor(400, 'bad', 'x').temporary).toBe(false);
  });

  it("hints at RBAC only for RBAC's 403s, not for webhook denials or terminating namespaces", () => {
    const status = (message: string) => ({ kind: 'Status', message, reason: 'Forbidden', code: 403 });
    const rbac = apiErrorFor(
      403,
      status(
        'kopfexamples.kopf.dev "x" is forbidden: User "system:serviceaccount:default:op" cannot patch resource "kopfexamples"',
      ),
      'PATCH',
    );
    expect(rbac.message).toContain("Check the RBAC permissions of the operator's account.");
    const denied = apiErrorFor(
      403,
      status('admission webhook "validate.kopf.dev" denied the request: too big'),
      'PATCH',
    );
    expect(denied.message).toBe(
      'PATCH failed: admission webhook "validate.kopf.dev" denied the request: too big',
    );
    const terminating = apiErrorFor(
      403,
      status('unable to create new content in namespace ns because it is being terminated'),
      'POST',
    );
    expect(terminating.message).not.toContain('RBAC');
  });
});
