/**
 * What the bad-input scenarios share: the KopfExample CRD with no schema at all (so
 * that `spec` may be a string, a number, a list or null, as a CRD without a
 * structural schema allows), object bodies, the check that an operator still serves
 * a well-formed object, and a way to hand the operator an object the API would
 * refuse today (labels that are not strings): written into the fake server's
 * persisted change log while the server is down, as if stored before validation.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Body, type KubernetesObject, Registry } from '@kopf/core';
import { FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { kopfExampleCrd } from '../support/crds.js';
import { CRD } from '../talk/support.js';

/** The KopfExample CRD whose schema keeps every field as it comes. */
export const LOOSE_CRD: KubernetesObject = kopfExampleCrd({
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
});

/** The annotation the operator writes last for an object: its creation is finished when it is there. */
export const DIFF_BASE = 'kopf.zalando.org/last-handled-configuration';

/** An object that refers to itself: JSON cannot hold it. */
export function circular(): object {
  const result: Record<string, unknown> = { a: 1 };
  result.self = result;
  return result;
}

/** Resolves once the object's creation is finished (its diff-base is stored), whatever the outcome. */
export async function creationFinished(run: OperatorRun, name: string): Promise<void> {
  await run.cluster.waitFor<KubernetesObject>(
    example(name),
    (object) => object?.metadata?.annotations?.[DIFF_BASE] !== undefined,
  );
}

/** The address of a KopfExample by name. */
export function example(
  name: string,
  namespace = 'default',
): { resource: string; name: string; namespace: string } {
  return { resource: 'kopfexamples', name, namespace };
}

/** A KopfExample with any `spec`, and annotations if given. */
export function exampleBody(
  name: string,
  options: { namespace?: string; spec?: unknown; annotations?: Record<string, string> } = {},
): KubernetesObject {
  const metadata = {
    name,
    namespace: options.namespace ?? 'default',
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  const spec = 'spec' in options ? options.spec : { field: 'value' };
  return { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata, spec };
}

/**
 * Creates a well-formed object and resolves once its creation handler's result is
 * stored: the operator still serves objects. The registry must have a creation
 * handler `create_fn` that returns something for it.
 */
export async function expectServed(run: OperatorRun, name = 'well-formed'): Promise<void> {
  await run.cluster.apply(exampleBody(name));
  await run.cluster.waitFor<Body>(example(name), (object) => object?.status?.create_fn !== undefined, {
    description: `the result of create_fn in status (the operator still serves ${name})`,
    timeout: 15,
  });
}

/**
 * Rewrites a stored object in a stopped fake server's change log (`persistTo`
 * directory): appends a newer version of it, changed by `change`, which the server
 * replays at its next start without validating it.
 */
export function rewriteStoredObject(
  directory: string,
  key: string,
  change: (object: KubernetesObject) => KubernetesObject,
): void {
  const path = join(directory, 'log.ndjson');
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const entries = lines.map((line) => JSON.parse(line) as { k?: string; v?: number; o?: KubernetesObject });
  const last = entries.filter((entry) => entry.k === key && entry.o).at(-1);
  if (!last?.o) throw new Error(`Rewriting ${key} in ${path} failed: it is not in the log; create it first`);
  const version = Math.max(...entries.map((entry) => entry.v ?? 0)) + 1;
  const object = change(last.o);
  const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(version) } };
  const entry = { t: 'MODIFIED', s: (last as { s?: string }).s, k: key, v: version, o: stored };
  appendFileSync(path, `${JSON.stringify(entry)}\n`);
}

/**
 * A fake server (persisted in `directory`) holding `default/odd-labels` with labels
 * that are not strings: Kubernetes refuses them today, but objects stored earlier
 * (or under an older schema) come as they were, and every write to them is refused.
 */
export async function storedWithOddLabels(directory: string, labels: object): Promise<FakeApiServer> {
  const setup = await runOperator({
    registry: new Registry(),
    server: await FakeApiServer.start({ persistTo: directory }),
    apply: CRD,
  });
  await setup.cluster.apply(exampleBody('odd-labels'));
  await setup.stop();
  await setup.server.stop();
  rewriteStoredObject(directory, 'default/odd-labels', (object) => ({
    ...object,
    metadata: { ...object.metadata, labels: labels as never },
  }));
  return FakeApiServer.start({ persistTo: directory });
}
