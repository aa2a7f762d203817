import { describe, expect, it } from 'vitest';
import { Faults } from './faults.js';
import { resolveRequestInfo } from './request-info.js';

const info = (method: string, path: string) => resolveRequestInfo(method, new URL(path, 'https://x'));

describe('Faults', () => {
  it('fails exactly the next N matching requests', () => {
    const faults = new Faults({ watches: () => [], compact: () => undefined });
    faults.failNext({ count: 2, code: 503, retryAfter: 2, verb: 'get', resource: 'configmaps' });
    expect(faults.failureFor(info('GET', '/api/v1/namespaces/a/secrets/x'))).toBeUndefined();
    expect(faults.failureFor(info('GET', '/api/v1/namespaces/a/configmaps/x'))?.status).toMatchObject({
      code: 503,
      reason: 'ServiceUnavailable',
      details: { retryAfterSeconds: 2 },
    });
    expect(faults.failureFor(info('GET', '/api/v1/namespaces/a/configmaps/y'))?.code).toBe(503);
    expect(faults.failureFor(info('GET', '/api/v1/namespaces/a/configmaps/z'))).toBeUndefined();
  });

  it('delays matching requests a limited number of times, and forgets everything on reset', () => {
    const faults = new Faults({ watches: () => [], compact: () => undefined });
    faults.delay({ ms: 100, verb: 'list', count: 1 });
    faults.delay({ ms: 5, verb: 'list' });
    expect(faults.delayFor(info('GET', '/api/v1/pods'))).toBe(105);
    expect(faults.delayFor(info('GET', '/api/v1/pods'))).toBe(5);
    faults.failNext({ count: 1, code: 500 });
    faults.reset();
    expect(faults.delayFor(info('GET', '/api/v1/pods'))).toBe(0);
    expect(faults.failureFor(info('GET', '/api/v1/pods'))).toBeUndefined();
  });

  it('compacts through its host', () => {
    let compacted = 0;
    new Faults({ watches: () => [], compact: () => (compacted += 1) }).compactHistory();
    expect(compacted).toBe(1);
  });
});
