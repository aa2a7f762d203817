import { describe, expect, it } from 'vitest';
import { requestKey } from './accounting.js';

describe('requestKey', () => {
  it('names resource requests by Kubernetes verb and resource', () => {
    const base = '/apis/kopf.dev/v1/namespaces/ns/kopfexamples';
    expect(requestKey({ method: 'GET', path: base })).toBe('list kopfexamples');
    expect(requestKey({ method: 'GET', path: base, query: { watch: true } })).toBe('watch kopfexamples');
    expect(requestKey({ method: 'GET', path: `${base}/x` })).toBe('get kopfexamples');
    expect(requestKey({ method: 'POST', path: base })).toBe('create kopfexamples');
    expect(requestKey({ method: 'PUT', path: `${base}/x` })).toBe('update kopfexamples');
    expect(requestKey({ method: 'PATCH', path: `${base}/x/status` })).toBe('patch kopfexamples/status');
    expect(requestKey({ method: 'DELETE', path: `${base}/x` })).toBe('delete kopfexamples');
    expect(requestKey({ method: 'DELETE', path: base })).toBe('deletecollection kopfexamples');
    expect(requestKey({ method: 'POST', path: '/api/v1/namespaces/ns/events' })).toBe('create events');
  });

  it('names non-resource requests by method and path', () => {
    expect(requestKey({ method: 'GET', path: '/apis' })).toBe('get /apis');
    expect(requestKey({ method: 'GET', path: '/apis/kopf.dev/v1' })).toBe('get /apis/kopf.dev/v1');
    expect(requestKey({ method: 'GET', path: '/version' })).toBe('get /version');
  });
});
