import { type Body, on, Registry, type Resource } from '@kopf/core';
import type { ApiClient, ApiRequest } from '@kopf/k8s';
import { FakeClock } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { DaemonsMemory, type SpawningContext } from './daemons.js';
import { MemorySink } from './logging.js';
import { resolveSettings } from './settings.js';
import { DaemonRegistry, processSpawningCause } from './spawning.js';
import { silentTelemetry } from './telemetry.js';

const resource = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  kind: 'KopfExample',
  namespaced: true,
  subresources: ['status'],
  verbs: ['list', 'watch', 'patch'],
} as unknown as Resource;

/** A transport that answers every PATCH with the object and records the patches. */
function recordingClient(body: Body): ApiClient & { patches: unknown[] } {
  const patches: unknown[] = [];
  return {
    patches,
    server: 'https://fake',
    defaultNamespace: undefined,
    request: async <T>(request: ApiRequest) => {
      patches.push(request.body);
      return body as T;
    },
    stream: async () => (async function* () {})(),
  };
}

function body(labels: Record<string, string> = {}, deleting = false): Body {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: {
      name: 'ex',
      namespace: 'ns',
      uid: 'u1',
      resourceVersion: '1',
      labels,
      ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {},
  };
}

function setup(registry: Registry, settings = resolveSettings()) {
  const clock = new FakeClock();
  const logs = new MemorySink();
  const daemons = new DaemonRegistry();
  const client = recordingClient(body());
  const context: SpawningContext = {
    client,
    resource,
    resourceKey: 'kopfexamples.v1.kopf.dev',
    settings,
    clock,
    logs,
    events: { post: () => {} },
    indexes: {},
    telemetry: silentTelemetry,
    track: (daemon, running) => daemons.track(daemon, running),
  };
  const memory = new DaemonsMemory(clock.now());
  const handlers = registry.forResource(() => true);
  const spawn = (object: Body, deleted = false) => {
    const live = memory.refresh(object);
    const cause = {
      logger: context.telemetry as never,
      memo: {},
      indexes: {},
      resource,
      body: live,
      patch: undefined as never,
    };
    return processSpawningCause(cause, memory, deleted, { handlers, registry: daemons, memo: {}, context });
  };
  return { clock, logs, memory, daemons, client, spawn };
}

describe('timers', () => {
  it('fire every interval from the end of the previous run, and stop on deletion', async () => {
    const registry = new Registry();
    const runs: number[] = [];
    let clockRef: FakeClock | undefined;
    on.timer('kopfexamples', { registry, interval: 10 }, function tick() {
      runs.push(clockRef?.now() ?? 0);
      return { ticks: runs.length };
    });
    const { clock, memory, spawn, client } = setup(registry);
    clockRef = clock;
    const start = clock.now();
    expect(await spawn(body())).toEqual([]);
    await clock.advance(35_000);
    expect(runs.map((at) => (at - start) / 1000)).toEqual([0, 10, 20, 30]);
    expect(client.patches).toContainEqual({ status: { tick: { ticks: 4 } } });
    expect(await spawn(body({}, true), true)).toEqual([]);
    expect(memory.running.size).toBe(0);
    await clock.advance(30_000);
    expect(runs).toHaveLength(4);
  });

  it('keep a sharp rhythm when runs take time', async () => {
    const registry = new Registry();
    const runs: number[] = [];
    let clockRef: FakeClock | undefined;
    on.timer('kopfexamples', { registry, interval: 10, sharp: true }, async function sharp({ stopped }) {
      runs.push(clockRef?.now() ?? 0);
      await stopped.wait(3);
    });
    const { clock, spawn } = setup(registry);
    clockRef = clock;
    const start = clock.now();
    await spawn(body());
    await clock.advance(31_000);
    expect(runs.map((at) => (at - start) / 1000)).toEqual([0, 10, 20, 30]);
  });

  it('with idle, run only after the object has been unchanged that long', async () => {
    const registry = new Registry();
    const runs: number[] = [];
    let clockRef: FakeClock | undefined;
    on.timer('kopfexamples', { registry, idle: 10, interval: 5 }, function quiet() {
      runs.push(clockRef?.now() ?? 0);
    });
    const { clock, memory, spawn } = setup(registry);
    clockRef = clock;
    const start = clock.now();
    await spawn(body());
    await clock.advance(8_000);
    memory.idleResetTime = clock.now();
    await clock.advance(9_000);
    expect(runs).toEqual([]);
    await clock.advance(2_000);
    expect(runs.map((at) => (at - start) / 1000)).toEqual([18]);
    await clock.advance(5_000);
    expect(runs).toHaveLength(2);
  });

  it('retry failures after the backoff instead of the interval, and post no success Events', async () => {
    const registry = new Registry();
    let calls = 0;
    on.timer('kopfexamples', { registry, interval: 60, backoff: 2 }, function flaky() {
      calls += 1;
      if (calls === 1) throw new Error('flaky');
    });
    const { clock, spawn, logs } = setup(registry);
    await spawn(body());
    await clock.advance(2_500);
    expect(calls).toBe(2);
    expect(logs.lines()).toContain(
      "[ns/ex] Timer 'flaky' failed with an exception and will try again in 2 seconds: flaky",
    );
    expect(logs.lines()).toContain("[ns/ex] Timer 'flaky' succeeded.");
  });
});

describe('initial delays', () => {
  it('may be computed from the object', async () => {
    const registry = new Registry();
    const runs: number[] = [];
    let clockRef: FakeClock | undefined;
    on.timer(
      'kopfexamples',
      { registry, interval: 100, initialDelay: ({ labels }) => Number(labels.delay ?? 0) },
      function delayed() {
        runs.push(clockRef?.now() ?? 0);
      },
    );
    const { clock, spawn } = setup(registry);
    clockRef = clock;
    const start = clock.now();
    await spawn(body({ delay: '7' }));
    await clock.advance(6_999);
    expect(runs).toEqual([]);
    await clock.advance(1);
    expect(runs.map((at) => (at - start) / 1000)).toEqual([7]);
  });
});

describe('daemons', () => {
  it('run with the stop flag, exit at once on deletion, and are not re-spawned after exiting', async () => {
    const registry = new Registry();
    const reasons: unknown[] = [];
    on.daemon('kopfexamples', { registry }, async function worker({ stopped }) {
      await stopped.wait();
      reasons.push(stopped.reason);
    });
    const { spawn, memory, logs } = setup(registry);
    await spawn(body());
    expect(memory.running.has('worker')).toBe(true);
    expect(await spawn(body({}, true), true)).toEqual([]);
    expect(reasons).toEqual(['resource-deleted']);
    expect(logs.lines('debug')).toContain(
      "[ns/ex] Daemon 'worker' has exited on request and will not be retried or restarted.",
    );
  });

  it('are restarted per backoff after failing, and never again after returning', async () => {
    const registry = new Registry();
    const attempts: number[] = [];
    on.daemon('kopfexamples', { registry, backoff: 5 }, function crashing({ retry }) {
      attempts.push(retry);
      if (retry === 0) throw new Error('crash');
    });
    const { clock, spawn, memory, logs } = setup(registry);
    await spawn(body());
    await clock.advance(5_000);
    expect(attempts).toEqual([0, 1]);
    expect(memory.running.size).toBe(0);
    expect(memory.foreverStopped.has('crashing')).toBe(true);
    expect(logs.lines('debug')).toContain(
      "[ns/ex] Daemon 'crashing' has exited on its own and will not be retried or restarted.",
    );
    await spawn(body());
    await clock.advance(10_000);
    expect(attempts).toEqual([0, 1]);
  });

  it('that ignore the flag hold the deletion for their cancellation timeout, then are abandoned', async () => {
    const registry = new Registry();
    let release: () => void = () => {};
    on.daemon('kopfexamples', { registry, cancellationTimeout: 30 }, function stubborn() {
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const { clock, spawn, logs } = setup(registry);
    await spawn(body());
    await clock.advance(0);
    expect(await spawn(body({}, true), true)).toEqual([30]);
    await clock.advance(10_000);
    expect(await spawn(body({}, true), true)).toEqual([20]);
    await clock.advance(20_000);
    expect(await spawn(body({}, true), true)).toEqual([]);
    expect(logs.lines()).toContain("[ns/ex] Daemon 'stubborn' did not exit in time. Leaving it orphaned.");
    release();
  });

  it('stop when their filters stop matching and start again when they match', async () => {
    const registry = new Registry();
    const starts: string[] = [];
    on.daemon('kopfexamples', { registry, labels: { run: 'yes' } }, async function picky({ stopped }) {
      starts.push('start');
      await stopped.wait();
      starts.push(String(stopped.reason));
    });
    const { spawn, memory } = setup(registry);
    await spawn(body({ run: 'yes' }));
    await spawn(body({ run: 'no' }));
    expect(memory.running.size).toBe(0);
    await spawn(body({ run: 'yes' }));
    expect(starts).toEqual(['start', 'filters-mismatch', 'start']);
  });

  it('are stopped all at once when the operator exits, and none start afterwards', async () => {
    const registry = new Registry();
    on.daemon('kopfexamples', { registry }, async function exiting({ stopped }) {
      await stopped.wait();
    });
    const { spawn, daemons, clock, memory } = setup(registry);
    await spawn(body());
    expect(daemons.counts()).toEqual({ daemon: 1, timer: 0 });
    daemons.mode = 'exiting';
    await daemons.stopAll('operator-exiting', { settings: resolveSettings(), clock }, 1);
    expect(daemons.counts()).toEqual({ daemon: 0, timer: 0 });
    await spawn(body());
    expect(memory.running.size).toBe(0);
  });
});
