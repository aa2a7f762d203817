import type { Body } from '@kopf/core';
import { eventually, type OperatorRun } from '@kopf/testing';
import { expect } from 'vitest';

/** A scenario for an operator with update and delete handlers; `run` comes from runOperator(). */
export async function updateAndDelete(run: OperatorRun): Promise<void> {
  const address = { resource: 'kex', name: 'kopf-example-1' }; // namespace: 'default' by default
  await run.cluster.apply('obj.yaml'); // a file, YAML text, or objects
  await run.cluster.patch(address, { spec: { field: 'changed' } }); // a merge patch
  await run.waitForLog(/Updating is processed: 1 succeeded/);

  const events = await run.cluster.events(address); // the Events about it, oldest first
  expect(events.length).toBeGreaterThan(0);

  await run.cluster.delete(address); // returns at once; the finalizer holds the object
  await run.cluster.waitFor(address, (o) => o === undefined, { description: 'the deletion', timeout: 30 });

  // Anything else that happens eventually: poll, never sleep a fixed time.
  const child = { resource: 'pods', name: 'kopf-example-1-child' };
  await eventually(async () => (await run.cluster.get<Body>(child)) === undefined, {
    what: 'the child pod to go',
  });
}
