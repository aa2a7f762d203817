/**
 * The users of the chaos run: creates, updates and deletes the planned objects at
 * their planned moments, each object's steps in order, all objects at once. A
 * deletion waits until the operator has put its finalizer on the object (before
 * that, Kubernetes would delete the object at once and no deletion handler could be
 * owed). The client retries the server's 500s and 429s as any client would.
 */
import type { KubernetesObject } from '@kopf/core';
import { type ApiClient, createObject, deleteObject, getObject, patchObject } from '@kopf/k8s';
import { KOPF_EXAMPLES } from '../bench/kopf-examples.js';
import { hasFinalizer, NAMESPACE, objectBody } from './chaos-objects.js';
import { type ChaosPlan, finalValue, type ObjectPlan } from './plans.js';

/** How long a deletion waits for the finalizer before it gives up (seconds). */
const FINALIZER_PATIENCE = 90;

/** What the workload did to one object. */
export interface ObjectOutcome {
  readonly name: string;
  /** The `spec.value` it was left with. */
  readonly finalValue: number;
  /** Its deletion was asked for. */
  readonly deleted: boolean;
  /** Why a planned deletion was not asked for (the finalizer never came). */
  readonly deletionProblem?: string;
}

/** Runs every object's plan against the API server; `start` is the window's start (ms since the epoch). */
export function runWorkload(client: ApiClient, plan: ChaosPlan, start: number): Promise<ObjectOutcome[]> {
  return Promise.all(plan.objects.map((object) => runObject(client, object, start)));
}

async function runObject(client: ApiClient, object: ObjectPlan, start: number): Promise<ObjectOutcome> {
  const ref = { name: object.name, namespace: NAMESPACE };
  await sleepUntil(start + object.createAt);
  await createObject(client, KOPF_EXAMPLES, objectBody(object.index, 1));
  for (const update of object.updates) {
    await sleepUntil(start + update.at);
    await patchObject(client, KOPF_EXAMPLES, ref, { spec: { value: update.value } }, { type: 'merge' });
  }
  const outcome = { name: object.name, finalValue: finalValue(object) };
  if (object.deleteAt === undefined) return { ...outcome, deleted: false };
  await sleepUntil(start + object.deleteAt);
  const deadline = Date.now() + FINALIZER_PATIENCE * 1000;
  for (;;) {
    const current = await getObject<KubernetesObject>(client, KOPF_EXAMPLES, ref);
    if (current && hasFinalizer(current)) break;
    if (Date.now() > deadline) {
      const deletionProblem = `no finalizer on it within ${FINALIZER_PATIENCE} s, so it was not deleted`;
      return { ...outcome, deleted: false, deletionProblem };
    }
    await sleep(200);
  }
  await deleteObject(client, KOPF_EXAMPLES, ref);
  return { ...outcome, deleted: true };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function sleepUntil(at: number): Promise<void> {
  return sleep(at - Date.now());
}
