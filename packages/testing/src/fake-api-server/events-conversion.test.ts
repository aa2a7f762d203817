import { describe, expect, it } from 'vitest';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './events-conversion.js';

describe('events conversion', () => {
  const core = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e', namespace: 'ns' },
    involvedObject: { kind: 'Pod', name: 'p' },
    message: 'hello',
    reportingComponent: 'kopf',
    source: { component: 'kopf' },
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:01Z',
    count: 2,
    reason: 'Logging',
    type: 'Normal',
  };

  it('renames core/v1 fields to their events.k8s.io/v1 names', () => {
    expect(coreEventToEventsV1(core)).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'ns' },
      regarding: { kind: 'Pod', name: 'p' },
      note: 'hello',
      reportingController: 'kopf',
      deprecatedSource: { component: 'kopf' },
      deprecatedFirstTimestamp: '2026-01-01T00:00:00Z',
      deprecatedLastTimestamp: '2026-01-01T00:00:01Z',
      deprecatedCount: 2,
      reason: 'Logging',
      type: 'Normal',
    });
  });

  it('round-trips', () => {
    expect(eventsV1ToCoreEvent(coreEventToEventsV1(core))).toEqual(core);
  });
});
