import type { Body, RawEvent, Resource } from '@kopf/core';
import type { ApiClient, ApiRequest } from '@kopf/k8s';
import { FakeClock } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from './loggers.js';
import { MemorySink } from './logging.js';
import {
  applyPeeringOptions,
  detectIdentity,
  type PeeringOptions,
  peerRecord,
  processPeeringEvent,
  readPeers,
} from './peering.js';
import { resolveSettings } from './settings.js';
import { formatTimestamp } from './timestamps.js';
import { ToggleSet } from './toggles.js';

const resource = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'clusterkopfpeerings',
  kind: 'ClusterKopfPeering',
  namespaced: false,
  subresources: [],
} as unknown as Resource;

/** A transport that records the merge patches sent to the peering object. */
function recordingClient(): ApiClient & { patches: unknown[] } {
  const patches: unknown[] = [];
  return {
    patches,
    server: 'https://fake',
    defaultNamespace: undefined,
    request: async <T>(request: ApiRequest) => {
      patches.push(request.body);
      return { metadata: { name: 'default' } } as T;
    },
    stream: async () => (async function* () {})(),
  };
}

function setup(priority: number) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const sink = new MemorySink();
  const paused = new ToggleSet();
  const settings = resolveSettings({ peering: { priority } });
  const client = recordingClient();
  const options: PeeringOptions = {
    client,
    target: { resource, namespace: undefined, name: 'default' },
    identity: 'me',
    settings,
    clock,
    logger: createLogger({ sink, name: 'kopf.peering' }),
    conflicts: paused.make('peering default@cluster', false),
    signal: new AbortController().signal,
  };
  return { clock, sink, paused, client, options };
}

function event(status: Record<string, unknown>): RawEvent {
  const body: Body = {
    apiVersion: 'kopf.dev/v1',
    kind: 'ClusterKopfPeering',
    metadata: { name: 'default' },
    status,
  };
  return { type: 'MODIFIED', object: body };
}

describe('peering decisions', () => {
  it('pause in favour of a higher priority, and ask to decide again when it expires', async () => {
    const { clock, paused, options, sink } = setup(0);
    const now = clock.now();
    const other = { priority: 10, lifetime: 60, lastseen: formatTimestamp(now - 20_000) };
    const result = await processPeeringEvent(event({ me: peerRecord(0, 60, now), other }), options);
    expect(paused.isOn).toBe(true);
    expect(result).toEqual({ retryAfter: 40_000 });
    expect(sink.lines()).toEqual(['Pausing operations in favour of other (priority 10).']);
  });

  it('pause all operators of the same priority, with a warning', async () => {
    const { clock, paused, options, sink } = setup(5);
    const twin = peerRecord(5, 60, clock.now());
    await processPeeringEvent(event({ twin }), options);
    expect(paused.isOn).toBe(true);
    expect(sink.lines('warning')[0]).toBe(
      'Possibly conflicting operators with the same priority: twin (priority 5).',
    );
  });

  it('clean up dead peers and resume when nobody blocks any more', async () => {
    const { clock, paused, options, client, sink } = setup(0);
    options.conflicts.turnTo(true);
    const dead = { priority: 10, lifetime: 60, lastseen: formatTimestamp(clock.now() - 61_000) };
    const lower = peerRecord(-1, 60, clock.now());
    const result = await processPeeringEvent(event({ dead, lower }), options);
    expect(paused.isOn).toBe(false);
    expect(result).toBeUndefined();
    expect(client.patches).toEqual([{ status: { dead: null } }]);
    expect(sink.lines()).toContain(
      'Resuming operations after the pause. Conflicting operators with the same priority are gone.',
    );
  });

  it('ignore other peering objects', async () => {
    const { options, paused } = setup(0);
    const body = { metadata: { name: 'another' }, status: { x: { priority: 99, lifetime: 60 } } } as Body;
    expect(await processPeeringEvent({ type: 'MODIFIED', object: body }, options)).toBeUndefined();
    expect(paused.isOn).toBe(false);
  });
});

describe('peer records', () => {
  it('read like Python Kopf writes them, with microseconds and a +00:00 offset', () => {
    const body = {
      status: {
        py: { priority: 100, lifetime: 60, lastseen: '2026-01-01T12:00:00.123456+00:00' },
        junk: 'x',
      },
    } as unknown as Body;
    expect(readPeers(body, 0)).toEqual([
      {
        identity: 'py',
        priority: 100,
        lifetime: 60,
        lastseen: '2026-01-01T12:00:00.123456+00:00',
        deadline: Date.UTC(2026, 0, 1, 12, 1, 0) + 123.456,
      },
    ]);
    expect(peerRecord(3, 60, Date.UTC(2026, 0, 1))).toEqual({
      priority: 3,
      lifetime: 60,
      lastseen: '2026-01-01T00:00:00.000000+00:00',
    });
  });

  it('identify an operator by POD_ID, else by user@host with time and randomness', () => {
    const saved = process.env.POD_ID;
    try {
      process.env.POD_ID = 'operator-7f9c';
      expect(detectIdentity()).toBe('operator-7f9c');
      delete process.env.POD_ID;
      expect(detectIdentity({ now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) })).toMatch(
        /^.+@.+\/20260102030405\/[a-z0-9]{3}$/,
      );
      expect(detectIdentity({ manual: true })).toMatch(/^[^/]+@[^/]+$/);
    } finally {
      if (saved === undefined) delete process.env.POD_ID;
      else process.env.POD_ID = saved;
    }
  });

  it('map the operator options onto the settings as Kopf does', () => {
    const settings = resolveSettings();
    applyPeeringOptions(settings, { peering: 'team', priority: 7, standalone: false, clusterwide: true });
    expect(settings.peering).toMatchObject({
      name: 'team',
      mandatory: true,
      priority: 7,
      standalone: false,
      clusterwide: true,
    });
  });
});
