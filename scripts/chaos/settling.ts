/**
 * When a chaos run has settled: every surviving object's final state is handled
 * (the diff-base holds its final value, no handler progress is left on it, it is not
 * being deleted) and every deleted object is gone. The run waits for this after the
 * faults stop, then verifies; an object that never settles is reported by name.
 */
import type { KubernetesObject } from '@kopf/core';
import { handledValue } from './chaos-objects.js';
import type { ObjectOutcome } from './workload.js';

/** Progress annotations: Kopf's prefix, any handler. */
const PROGRESS = /^kopf\.zalando\.org\/(create_first|create_second|update_fn|delete_fn)$/;

/** The names of the objects that have not settled yet, with why. */
export function unsettled(
  outcomes: readonly ObjectOutcome[],
  objects: ReadonlyMap<string, KubernetesObject>,
): Map<string, string> {
  const waiting = new Map<string, string>();
  for (const outcome of outcomes) {
    const object = objects.get(outcome.name);
    if (outcome.deleted) {
      if (object) waiting.set(outcome.name, 'deleted, still on the server');
      continue;
    }
    if (!object) {
      waiting.set(outcome.name, 'missing');
      continue;
    }
    const handled = handledValue(object);
    const annotations = Object.keys(object.metadata?.annotations ?? {});
    if (handled !== outcome.finalValue) waiting.set(outcome.name, `handled value ${handled ?? 'none'}`);
    else if (annotations.some((key) => PROGRESS.test(key)))
      waiting.set(outcome.name, 'handler progress left');
    else if (object.metadata?.deletionTimestamp) waiting.set(outcome.name, 'being deleted');
  }
  return waiting;
}
