/**
 * The objects the operator benchmarks work on: Kopf's `KopfExample` custom
 * resource (with the status subresource, as in `examples/crd.yaml`), in one
 * namespace, with a small spec. An object can be made "already handled" — carrying
 * the diff-base annotation a kopf-ts (or Kopf) operator stores after its creation
 * handlers — so that a starting operator resumes it with no work and no PATCH.
 */
import type { KubernetesObject } from '@kopf/core';
import type { ResourceRef } from '@kopf/k8s';
import { buildEssence, dumpKopfJson } from '@kopf/reactor';

/** The namespace of every benchmark object. */
export const NAMESPACE = 'bench';

/** The custom resource, as `@kopf/k8s` functions address it. */
export const KOPF_EXAMPLES: ResourceRef = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  kind: 'KopfExample',
  namespaced: true,
  subresources: ['status'],
};

/** The CRD of {@link KOPF_EXAMPLES}. */
export const KOPF_EXAMPLES_CRD: KubernetesObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'kopfexamples.kopf.dev' },
  spec: {
    group: 'kopf.dev',
    scope: 'Namespaced',
    names: { kind: 'KopfExample', plural: 'kopfexamples', singular: 'kopfexample' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
};

/** The annotation where the operator keeps the last handled essence. */
export const DIFF_BASE_ANNOTATION = 'kopf.zalando.org/last-handled-configuration';

/** The name of the `index`-th object. */
export function exampleName(index: number): string {
  return `example-${String(index).padStart(6, '0')}`;
}

/** The address of the `index`-th object, as `@kopf/k8s` functions take it. */
export function exampleAddress(index: number): { name: string; namespace: string } {
  return { name: exampleName(index), namespace: NAMESPACE };
}

/** The index of an object from its name; `undefined` for other names. */
export function exampleIndex(name: string | undefined): number | undefined {
  const match = /^example-(\d+)$/.exec(name ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * The body of the `index`-th object; `handled` adds the diff-base annotation (the
 * object looks fully handled by an earlier operator run).
 */
export function exampleBody(index: number, handled = false): KubernetesObject {
  const body: KubernetesObject = {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name: exampleName(index), namespace: NAMESPACE, labels: { app: 'bench' } },
    spec: { index, duration: '1m', field: 'value', items: ['item1', 'item2'] },
  };
  if (!handled) return body;
  const essence = `${dumpKopfJson(buildEssence(body))}\n`;
  return { ...body, metadata: { ...body.metadata, annotations: { [DIFF_BASE_ANNOTATION]: essence } } };
}
