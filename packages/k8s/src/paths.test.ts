import { describe, expect, it } from 'vitest';
import { parseResourcePath, resourcePath } from './paths.js';

const kex = { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples', namespaced: true };
const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const nodes = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

describe('resourcePath', () => {
  it('builds collection, object and subresource paths', () => {
    expect(resourcePath(kex)).toBe('/apis/kopf.dev/v1/kopfexamples');
    expect(resourcePath(kex, { namespace: 'ns' })).toBe('/apis/kopf.dev/v1/namespaces/ns/kopfexamples');
    expect(resourcePath(kex, { namespace: 'ns', name: 'x', subresource: 'status' })).toBe(
      '/apis/kopf.dev/v1/namespaces/ns/kopfexamples/x/status',
    );
    expect(resourcePath(pods, { namespace: 'default', name: 'p' })).toBe('/api/v1/namespaces/default/pods/p');
  });

  it('ignores the namespace of cluster-scoped resources', () => {
    expect(resourcePath(nodes, { namespace: 'ns', name: 'n1' })).toBe('/api/v1/nodes/n1');
  });
});

describe('parseResourcePath', () => {
  it('reads back what resourcePath builds', () => {
    expect(parseResourcePath('/apis/kopf.dev/v1/namespaces/ns/kopfexamples/x/status?dryRun=All')).toEqual({
      group: 'kopf.dev',
      version: 'v1',
      plural: 'kopfexamples',
      namespace: 'ns',
      name: 'x',
      subresource: 'status',
    });
    expect(parseResourcePath('/api/v1/namespaces')).toMatchObject({
      plural: 'namespaces',
      namespace: undefined,
    });
    expect(parseResourcePath('/api/v1/namespaces/ns')).toMatchObject({ plural: 'namespaces', name: 'ns' });
    expect(parseResourcePath('/api/v1/namespaces/ns/finalize')).toMatchObject({
      plural: 'namespaces',
      name: 'ns',
      subresource: 'finalize',
    });
  });

  it('recognises discovery and non-resource paths', () => {
    expect(parseResourcePath('/apis/kopf.dev/v1')).toMatchObject({ group: 'kopf.dev', plural: undefined });
    expect(parseResourcePath('/version')).toBeUndefined();
    expect(parseResourcePath('/apis')).toBeUndefined();
  });
});
