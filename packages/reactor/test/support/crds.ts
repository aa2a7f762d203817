/**
 * The KopfExample CRD with a schema of the test's choosing, for scenarios about
 * what the API server keeps or refuses (the shared examples/crd.yaml keeps all).
 */
import type { KubernetesObject } from '@kopf/core';

/** The KopfExample CRD (kopf.dev/v1, namespaced, with a status subresource) with this schema. */
export function kopfExampleCrd(openAPIV3Schema: Record<string, unknown>): KubernetesObject {
  return {
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
          schema: { openAPIV3Schema },
        },
      ],
    },
  };
}
