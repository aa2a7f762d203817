/**
 * core/v1 Events and events.k8s.io/v1 Events are one storage seen through two
 * versions, as in kube-apiserver: the fake stores the core/v1 shape and renames the
 * fields for events.k8s.io/v1 (`involvedObject` ↔ `regarding`, `message` ↔ `note`,
 * `source` ↔ `deprecatedSource`, …; `pkg/apis/events/v1/conversion.go`).
 */
import type { JsonObject } from './objects.js';

/** [core/v1 field, events.k8s.io/v1 field] */
const RENAMES: readonly (readonly [string, string])[] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function rename(object: JsonObject, apiVersion: string, direction: 0 | 1): JsonObject {
  const from = direction === 0 ? 0 : 1;
  const to = direction === 0 ? 1 : 0;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const pair = RENAMES.find((names) => names[from] === key);
    result[pair ? pair[to] : key] = value;
  }
  result.apiVersion = apiVersion;
  return result;
}

/** A stored core/v1 Event as events.k8s.io/v1 shows it. */
export function coreEventToEventsV1(event: JsonObject): JsonObject {
  return rename(event, 'events.k8s.io/v1', 0);
}

/** An events.k8s.io/v1 Event in the stored core/v1 shape. */
export function eventsV1ToCoreEvent(event: JsonObject): JsonObject {
  return rename(event, 'v1', 1);
}
