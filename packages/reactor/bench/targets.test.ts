import { describe, expect, it } from 'vitest';
import type { FootprintResult } from './footprint.js';
import { judgeTargets } from './targets.js';
import type { BurstResult, IdleResult } from './throughput.js';

const MIB = 1024 * 1024;
const latency = (p99: number) => ({ count: 10, p50: p99 / 2, p99, max: p99 });

function burst(actor: BurstResult['actor'], seconds: number, cpu: number, rssMib: number): BurstResult {
  return {
    actor,
    objects: 1000,
    seconds,
    objectsPerSecond: 1000 / seconds,
    toHandlerStart: latency(seconds * 100),
    toResult: latency(seconds * 1000),
    callsPerObject: actor === 'kopf-ts' ? { 'patch kopfexamples': 1, 'patch kopfexamples/status': 1 } : {},
    peakRss: rssMib * MIB,
    heapAfterBurst: 0,
    cpuSeconds: { actor: cpu, server: 1 },
    errors: [],
    errorCount: 0,
  };
}

const idle = (cause: IdleResult['cause']): IdleResult => ({
  actor: 'kopf-ts',
  cause,
  objects: 10,
  toHandlerStart: latency(5),
  toResult: latency(10),
});

function footprint(objects: number, resumed: number): FootprintResult {
  const reading = (heap: number) => ({
    cpuSeconds: 1,
    peakRss: 100 * MIB,
    rss: 0,
    heapUsedAfterGc: heap,
    external: 0,
  });
  return {
    objects,
    secondsToListed: resumed,
    secondsToResumed: resumed,
    requests: {},
    listPages: 1,
    patches: 0,
    peakRss: 100 * MIB,
    busy: reading(0),
    steady: reading(10 * MIB + objects * 1000),
    errors: [],
  };
}

describe('judgeTargets', () => {
  it('gives every measured figure a target, and says which are missed', () => {
    const outcomes = judgeTargets({
      bursts: [burst('client-node', 2, 2, 200), burst('kopf-ts', 1, 3, 2048)],
      idle: [idle('creation'), idle('update')],
      footprints: [footprint(0, 0.01), footprint(1000, 0.2), footprint(5000, 3)],
      startupObjects: 1000,
    });
    const missed = outcomes.filter((outcome) => !outcome.met).map((outcome) => outcome.name);
    expect(missed).toEqual([
      'burst of 1000: CPU per object, kopf-ts / client-node',
      'peak RSS during the burst of 1000',
      'start-up over 5000: ms per object to resumed',
    ]);
    expect(outcomes.map((outcome) => outcome.name)).toEqual(
      expect.arrayContaining([
        'burst of 1000: kopf-ts time / client-node time',
        'burst of 1000: p99 to handler start, kopf-ts / client-node',
        'idle: p99 update → done',
        'start-up over 1000: ms per object to resumed',
      ]),
    );
  });
});
