/** Shared bits of the talk scenarios: the fixtures and waiting helpers. */
import type { Body } from '@kopf/core';
import { type OperatorRun, eventually as waitFor } from '@kopf/testing';

export const CRD: string = new URL('../../../../examples/crd.yaml', import.meta.url).pathname;
export const OBJ: string = new URL('../../../../examples/obj.yaml', import.meta.url).pathname;
export const EXAMPLE = { resource: 'kopfexamples', name: 'kopf-example-1' } as const;

/** Resolves once `check()` is true (polling), or rejects naming `what`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeout = 10,
): Promise<void> {
  await waitFor(check, { what, timeout });
}

/** Waits until the example object is gone. */
export async function waitGone(run: OperatorRun): Promise<void> {
  await run.cluster.waitFor<Body>(EXAMPLE, (o) => o === undefined, { description: 'deletion' });
}
