import { readFileSync } from 'node:fs';
import { parseSelector } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { knownResourcesOf, ResourceCatalog, ResourceResolutionError } from './resource-catalog.js';

const CRD_YAML = readFileSync(new URL('../../../examples/crd.yaml', import.meta.url), 'utf8');
const crds = parseAllDocuments(CRD_YAML).map((document) => document.toJS());
const catalog = new ResourceCatalog(knownResourcesOf(crds));
const resolve = (...args: unknown[]) => catalog.resolve(parseSelector(args), "handler 'h'");

describe('knownResourcesOf', () => {
  it('reads the names, scope and status versions of a CRD manifest', () => {
    expect(knownResourcesOf(crds)).toEqual([
      {
        group: 'kopf.dev',
        versions: ['v1'],
        plural: 'kopfexamples',
        singular: 'kopfexample',
        kind: 'KopfExample',
        shortNames: ['kopfexes', 'kopfex', 'kexes', 'kex'],
        categories: [],
        namespaced: true,
        statusVersions: ['v1'],
      },
    ]);
  });

  it('skips other objects and puts the storage version first', () => {
    const crd = {
      kind: 'CustomResourceDefinition',
      spec: {
        group: 'x.io',
        scope: 'Cluster',
        names: { plural: 'things', kind: 'Thing' },
        versions: [{ name: 'v1beta1' }, { name: 'v1', storage: true, subresources: { status: {} } }],
      },
    };
    const [thing] = knownResourcesOf([{ kind: 'ConfigMap' }, crd]);
    expect(thing).toMatchObject({
      versions: ['v1', 'v1beta1'],
      singular: 'thing',
      namespaced: false,
      statusVersions: ['v1'],
    });
  });
});

describe('ResourceCatalog.resolve', () => {
  const kex = { group: 'kopf.dev', plural: 'kopfexamples', namespaced: true, status: true };

  it('resolves a CRD by plural, singular, kind, short name and kubectl style', () => {
    for (const name of ['kopfexamples', 'kopfexample', 'KopfExample', 'kex', 'kopfexamples.kopf.dev']) {
      expect(resolve(name)).toEqual(kex);
    }
    expect(resolve('kopf.dev', 'v1', 'kopfexamples')).toEqual(kex);
  });

  it('resolves built-in resources, the core group first', () => {
    expect(resolve('pods')).toEqual({ group: '', plural: 'pods', namespaced: true, status: true });
    expect(resolve('v1', 'configmaps')).toEqual({
      group: '',
      plural: 'configmaps',
      namespaced: true,
      status: false,
    });
    expect(resolve('deploy')).toEqual({
      group: 'apps',
      plural: 'deployments',
      namespaced: true,
      status: true,
    });
    expect(resolve('events')).toMatchObject({ group: '' });
    expect(resolve('nodes')).toMatchObject({ namespaced: false });
  });

  it('takes an unknown lower-case name with an explicit group as its plural', () => {
    expect(resolve('example.com', 'v1', 'widgets')).toEqual({
      group: 'example.com',
      plural: 'widgets',
      namespaced: true,
      status: true,
    });
  });

  it('refuses predicates and categories, which only a cluster can resolve', () => {
    expect(() => resolve(() => true)).toThrow(
      /a resource predicate of handler 'h' failed: it can only be resolved in a cluster/,
    );
    expect(() => catalog.resolve({ category: 'all' }, "handler 'h'")).toThrow(ResourceResolutionError);
  });

  it('refuses a name known in several non-core groups', () => {
    const twin = { ...knownResourcesOf(crds)[0]!, group: 'other.dev' };
    const ambiguous = new ResourceCatalog([...knownResourcesOf(crds), twin]);
    expect(() => ambiguous.resolve(parseSelector(['kex']), "handler 'h'")).toThrow(
      /ambiguous \(kopf\.dev, other\.dev\)/,
    );
  });

  it('refuses an unknown name without a group, naming --crd as the fix', () => {
    expect(() => new ResourceCatalog().resolve(parseSelector(['kopfexamples']), "handler 'h'")).toThrow(
      /neither a built-in resource nor in a CRD given with --crd/,
    );
  });
});
