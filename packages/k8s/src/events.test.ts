import { describe, expect, it } from 'vitest';
import { buildEventBody, microTime, truncateEventMessage } from './events.js';

describe('truncateEventMessage', () => {
  it('keeps short messages as they are', () => {
    expect(truncateEventMessage('x'.repeat(1024))).toBe('x'.repeat(1024));
  });

  it("cuts long messages to 1024 chars with '...' in the middle, as Kopf does", () => {
    const message = `${'a'.repeat(600)}${'b'.repeat(600)}`;
    const cut = truncateEventMessage(message);
    expect(cut).toHaveLength(1024);
    expect(cut).toBe(`${'a'.repeat(511)}...${'b'.repeat(510)}`);
  });
});

describe('microTime', () => {
  it('prints six fractional digits', () => {
    expect(microTime(new Date('2024-01-02T03:04:05.678Z'))).toBe('2024-01-02T03:04:05.678000Z');
  });
});

describe('buildEventBody', () => {
  const involved = {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name: 'kopf-example-1', namespace: 'ns1', uid: 'u-1', labels: { a: 'b' } },
    spec: {},
  };
  const now = new Date('2024-01-02T03:04:05.678Z');

  it("builds Kopf's exact body", () => {
    const body = buildEventBody({ involved, type: 'Normal', reason: 'Success', message: 'done' }, { now });
    expect(body).toEqual({
      metadata: { namespace: 'ns1', generateName: 'kopf-event-' },
      action: 'Action?',
      type: 'Normal',
      reason: 'Success',
      message: 'done',
      reportingComponent: 'kopf',
      reportingInstance: 'dev',
      source: { component: 'kopf' },
      involvedObject: {
        apiVersion: 'kopf.dev/v1',
        kind: 'KopfExample',
        name: 'kopf-example-1',
        uid: 'u-1',
        namespace: 'ns1',
      },
      firstTimestamp: '2024-01-02T03:04:05.678000Z',
      lastTimestamp: '2024-01-02T03:04:05.678000Z',
      eventTime: '2024-01-02T03:04:05.678000Z',
    });
  });

  it('puts Events of cluster-scoped objects into the default namespace', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'u-2' } };
    const spec = { involved: node, type: 'Warning', reason: 'R', message: 'm' };
    expect(buildEventBody(spec, { now })).toMatchObject({ metadata: { namespace: 'default' } });
    expect(buildEventBody(spec, { now, defaultNamespace: 'ops' })).toMatchObject({
      metadata: { namespace: 'ops' },
      involvedObject: { namespace: 'ops' },
    });
  });

  it('carries a count and the first/last times for merged duplicates', () => {
    const first = new Date('2024-01-02T03:04:00Z');
    const body = buildEventBody(
      { involved, type: 'Normal', reason: 'R', message: 'm' },
      { now, count: 3, firstTimestamp: first, lastTimestamp: now },
    );
    expect(body).toMatchObject({ count: 3, firstTimestamp: '2024-01-02T03:04:00.000000Z' });
  });
});
