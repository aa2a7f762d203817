import { describe, expect, it } from 'vitest';
import { resolveRequestInfo } from './request-info.js';

const info = (method: string, path: string) => resolveRequestInfo(method, new URL(path, 'https://x'));

describe('resolveRequestInfo', () => {
  it('reads core and group resources, namespaced and cluster-wide', () => {
    expect(info('GET', '/api/v1/namespaces/ns1/configmaps')).toMatchObject({
      verb: 'list',
      group: '',
      version: 'v1',
      namespace: 'ns1',
      resource: 'configmaps',
      name: '',
    });
    expect(info('GET', '/apis/kopf.dev/v1/kopfexamples')).toMatchObject({
      verb: 'list',
      group: 'kopf.dev',
      namespace: '',
      resource: 'kopfexamples',
    });
    expect(info('PATCH', '/apis/kopf.dev/v1/namespaces/ns1/kopfexamples/x/status')).toMatchObject({
      verb: 'patch',
      name: 'x',
      subresource: 'status',
    });
  });

  it('treats namespaces themselves, their status and finalize as the namespaces resource', () => {
    expect(info('GET', '/api/v1/namespaces/dev')).toMatchObject({
      verb: 'get',
      resource: 'namespaces',
      name: 'dev',
    });
    expect(info('PUT', '/api/v1/namespaces/dev/finalize')).toMatchObject({
      verb: 'update',
      resource: 'namespaces',
      name: 'dev',
      subresource: 'finalize',
    });
  });

  it('derives watch from the parameter and the legacy /watch/ prefix', () => {
    expect(info('GET', '/api/v1/namespaces/ns1/pods?watch=true')).toMatchObject({
      verb: 'watch',
      resource: 'pods',
    });
    expect(info('GET', '/api/v1/pods?watch=1')).toMatchObject({ verb: 'watch' });
    expect(info('GET', '/api/v1/watch/namespaces/ns1/pods')).toMatchObject({
      verb: 'watch',
      namespace: 'ns1',
      resource: 'pods',
    });
  });

  it('tells delete from deletecollection and create from update', () => {
    expect(info('DELETE', '/api/v1/namespaces/a/configmaps/x')).toMatchObject({ verb: 'delete' });
    expect(info('DELETE', '/api/v1/namespaces/a/configmaps')).toMatchObject({ verb: 'deletecollection' });
    expect(info('POST', '/api/v1/namespaces/a/configmaps')).toMatchObject({ verb: 'create' });
    expect(info('PUT', '/api/v1/namespaces/a/configmaps/x')).toMatchObject({ verb: 'update' });
  });

  it('classifies discovery, version and unknown paths as non-resource requests', () => {
    expect(info('GET', '/apis/kopf.dev/v1')).toEqual({
      kind: 'nonresource',
      verb: 'get',
      path: '/apis/kopf.dev/v1',
    });
    expect(info('GET', '/version')).toMatchObject({ kind: 'nonresource', path: '/version' });
    expect(info('GET', '/api/v1/namespaces/a/b/c/d/e')).toMatchObject({ kind: 'nonresource' });
    expect(info('GET', '/api/v1/namespaces/a/configmaps/%E0%A4%A')).toMatchObject({ kind: 'nonresource' });
  });
});
