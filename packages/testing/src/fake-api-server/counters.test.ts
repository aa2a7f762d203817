import { describe, expect, it } from 'vitest';
import { RequestCounters } from './counters.js';
import { resolveRequestInfo } from './request-info.js';

describe('RequestCounters', () => {
  it('counts by verb, group, resource and subresource, and snapshots readable keys', () => {
    const counters = new RequestCounters();
    const record = (method: string, path: string): void =>
      counters.record(resolveRequestInfo(method, new URL(path, 'https://x')));
    record('PATCH', '/apis/kopf.dev/v1/namespaces/a/kopfexamples/x');
    record('PATCH', '/apis/kopf.dev/v1/namespaces/a/kopfexamples/x/status');
    record('GET', '/api/v1/namespaces/a/configmaps');
    record('GET', '/version');
    expect(counters.get({ verb: 'patch', resource: 'kopfexamples' })).toBe(2);
    expect(counters.get({ verb: 'patch', resource: 'kopfexamples', subresource: '' })).toBe(1);
    expect(counters.get({ verb: 'list', group: '' })).toBe(1);
    expect(counters.get({ path: '/version' })).toBe(1);
    expect(counters.get()).toBe(4);
    expect(counters.snapshot()).toEqual({
      'patch kopfexamples.kopf.dev': 1,
      'patch kopfexamples.kopf.dev/status': 1,
      'list configmaps': 1,
      'get /version': 1,
    });
    counters.reset();
    expect(counters.get()).toBe(0);
  });
});
