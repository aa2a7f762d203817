import { describe, expect, it } from 'vitest';
import {
  CRD_CLEANUP_FINALIZER,
  establishedStatus,
  markCrdTerminating,
  typesFromCrd,
  validateCrd,
} from './crds.js';
import { errorText } from './field-errors.js';

function crd(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: 'kopfexamples.kopf.dev' },
    spec: {
      group: 'kopf.dev',
      scope: 'Namespaced',
      names: { kind: 'KopfExample', plural: 'kopfexamples', shortNames: ['kex'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object' } },
        },
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
      ...overrides,
    },
  };
}

describe('validateCrd', () => {
  it('accepts a well-formed CRD', () => {
    expect(validateCrd(crd(), undefined)).toEqual([]);
  });

  it('reports the name/plural.group mismatch, a dotless group, a bad scope and storage versions', () => {
    const bad = { ...crd({ group: 'kopf', scope: 'Global' }), metadata: { name: 'x' } };
    const texts = validateCrd(bad, undefined).map(errorText);
    expect(texts).toContain('spec.group: Invalid value: "kopf": should be a domain with at least one dot');
    expect(texts).toContain('metadata.name: Invalid value: "x": must be spec.names.plural+"."+spec.group');
    expect(texts).toContain(
      'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    );
    const twoStorages = crd({
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: {} } },
        { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: {} } },
      ],
    });
    expect(validateCrd(twoStorages, undefined).map((error) => error.field)).toEqual(['spec.versions']);
  });
});

describe('printer column validation', () => {
  it('refuses unparsable JSONPaths and unknown column types', () => {
    const versions = [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: {} },
        additionalPrinterColumns: [
          { name: 'Ok', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Bad', type: 'string', jsonPath: '.spec.items[0' },
          { name: 'NoDot', type: 'string', jsonPath: 'spec.x' },
          { name: 'Kind', type: 'text', jsonPath: '.spec.x' },
        ],
      },
    ];
    const texts = validateCrd(crd({ versions }), undefined).map(errorText);
    expect(texts).toEqual([
      'spec.versions[0].additionalPrinterColumns[1].jsonPath: Invalid value: ".spec.items[0": unclosed array expect ]',
      'spec.versions[0].additionalPrinterColumns[2].jsonPath: Invalid value: "spec.x": must be a simple json path starting with .',
      'spec.versions[0].additionalPrinterColumns[3].type: Unsupported value: "text": supported values: "boolean", "date", "integer", "number", "string"',
    ]);
  });
});

describe('establishedStatus and typesFromCrd', () => {
  it('accepts the names, establishes the CRD and records the storage version', () => {
    const status = establishedStatus(crd(), new Date('2026-01-01T00:00:00Z'));
    expect(status.acceptedNames).toEqual({
      plural: 'kopfexamples',
      singular: 'kopfexample',
      kind: 'KopfExample',
      listKind: 'KopfExampleList',
      shortNames: ['kex'],
    });
    expect(status.storedVersions).toEqual(['v1']);
    expect(
      (status.conditions as { type: string; status: string }[]).map((c) => `${c.type}=${c.status}`),
    ).toEqual(['NamesAccepted=True', 'Established=True']);
  });

  it('serves nothing before establishment and every served version after it', () => {
    expect(typesFromCrd(crd())).toEqual([]);
    const established = { ...crd(), status: establishedStatus(crd(), new Date()) };
    const types = typesFromCrd(established);
    expect(types.map((type) => [type.version, type.subresources, type.storageApiVersion])).toEqual([
      ['v1', ['status'], 'kopf.dev/v1'],
      ['v1beta1', [], 'kopf.dev/v1'],
    ]);
    expect(types[0]?.rules).toMatchObject({
      statusSubresource: true,
      unconditionalUpdate: false,
      generation: true,
    });
  });

  it('marks a deleted CRD with the cleanup finalizer and the Terminating condition', () => {
    const marked = markCrdTerminating({ ...crd(), status: establishedStatus(crd(), new Date()) }, new Date());
    expect((marked.metadata as { finalizers: string[] }).finalizers).toEqual([CRD_CLEANUP_FINALIZER]);
    expect(JSON.stringify(marked.status)).toContain('InstanceDeletionPending');
  });
});
