import { describe, expect, it } from 'vitest';
import { crdManifest, pluralize } from './crd-manifests.js';
import { UsageError } from './errors.js';

describe('pluralize', () => {
  it('pluralizes kinds as English does for the usual endings', () => {
    expect(['kopfexample', 'policy', 'box', 'match', 'key'].map(pluralize)).toEqual([
      'kopfexamples',
      'policies',
      'boxes',
      'matches',
      'keys',
    ]);
  });
});

describe('crdManifest', () => {
  it('makes a namespaced v1 CRD with open spec and status and the status subresource', () => {
    const crd = crdManifest({ group: 'kopf.dev', kind: 'KopfExample', shortNames: ['kex'] });
    const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    expect(crd).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'kopfexamples.kopf.dev' },
      spec: {
        group: 'kopf.dev',
        scope: 'Namespaced',
        names: { kind: 'KopfExample', plural: 'kopfexamples', singular: 'kopfexample', shortNames: ['kex'] },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: open, status: open } } },
          },
        ],
      },
    });
  });

  it('takes the version, names and cluster scope when given', () => {
    const crd = crdManifest({
      group: 'x.io',
      kind: 'Thing',
      version: 'v1beta1',
      plural: 'stuff',
      namespaced: false,
    });
    expect(crd).toMatchObject({
      metadata: { name: 'stuff.x.io' },
      spec: { scope: 'Cluster', versions: [{ name: 'v1beta1' }] },
    });
  });

  it('refuses a group without a dot, a kind that is not CamelCase, and upper-case names', () => {
    expect(() => crdManifest({ group: 'kopf', kind: 'KopfExample' })).toThrow(UsageError);
    expect(() => crdManifest({ group: 'kopf.dev', kind: 'kopf-example' })).toThrow(/not a CamelCase kind/);
    expect(() => crdManifest({ group: 'kopf.dev', kind: 'Kex', plural: 'Kexes' })).toThrow(
      /--plural "Kexes"/,
    );
  });
});
