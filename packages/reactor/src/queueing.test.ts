import { FakeClock } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { ObjectQueues, type Processor } from './queueing.js';

interface Ev {
  key: string;
  rv: string;
}

function setup(
  processor: Processor<Ev>,
  options: { workerLimit?: number; consistencyTimeout?: number } = {},
) {
  const clock = new FakeClock(0);
  const queues = new ObjectQueues<Ev>({
    processor,
    keyOf: (e) => e.key,
    versionOf: (e) => e.rv,
    clock,
    idleTimeout: 5000,
    consistencyTimeout: options.consistencyTimeout ?? 5000,
    workerLimit: options.workerLimit,
  });
  return { clock, queues };
}

describe('ObjectQueues', () => {
  it('processes one object in order and objects in parallel', async () => {
    const seen: string[] = [];
    let releaseA: () => void = () => {};
    const blocked = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    const { clock, queues } = setup(async (e) => {
      seen.push(`start ${e.key}${e.rv}`);
      if (e.key === 'a' && e.rv === '1') await blocked;
      seen.push(`end ${e.key}${e.rv}`);
      return undefined;
    });
    queues.push({ key: 'a', rv: '1' });
    queues.push({ key: 'a', rv: '2' });
    queues.push({ key: 'b', rv: '1' });
    await clock.advance(0);
    expect(seen).toEqual(['start a1', 'start b1', 'end b1']);
    releaseA();
    await clock.advance(0);
    expect(seen).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
  });

  it('releases idle workers after the idle timeout', async () => {
    const { clock, queues } = setup(async () => undefined);
    queues.push({ key: 'a', rv: '1' });
    await clock.advance(0);
    expect(queues.size).toBe(1);
    await clock.advance(5000);
    expect(queues.size).toBe(0);
  });

  it('tells the processor to wait for consistency until its own version returns', async () => {
    const deadlines: (number | undefined)[] = [];
    const { clock, queues } = setup(async (e, context) => {
      deadlines.push(context.consistencyDeadline);
      return e.rv === '1' ? { version: '2' } : undefined;
    });
    queues.push({ key: 'a', rv: '1' });
    await clock.advance(0);
    queues.push({ key: 'a', rv: '1.5' }); // someone else's change: still inconsistent
    await clock.advance(0);
    queues.push({ key: 'a', rv: '2' }); // our own patch came back
    await clock.advance(0);
    expect(deadlines).toEqual([undefined, 5000, undefined]);
  });

  it('limits how many objects are processed at once', async () => {
    let running = 0;
    let peak = 0;
    const { clock, queues } = setup(
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await clock.sleep(10);
        running -= 1;
        return undefined;
      },
      { workerLimit: 2 },
    );
    for (const key of ['a', 'b', 'c', 'd']) queues.push({ key, rv: '1' });
    await clock.advance(100);
    expect(peak).toBe(2);
  });

  it('keeps working after a processor failure and reports it', async () => {
    const errors: string[] = [];
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const queues = new ObjectQueues<Ev>({
      processor: async (e) => {
        if (e.rv === '1') throw new Error('boom');
        seen.push(e.rv);
        return undefined;
      },
      keyOf: (e) => e.key,
      versionOf: (e) => e.rv,
      clock,
      idleTimeout: 5000,
      consistencyTimeout: 0,
      onError: (key, error) => errors.push(`${key}: ${(error as Error).message}`),
    });
    queues.push({ key: 'a', rv: '1' });
    queues.push({ key: 'a', rv: '2' });
    await clock.advance(0);
    expect([errors, seen]).toEqual([['a: boom'], ['2']]);
  });

  it('drains queued events on close and refuses new ones', async () => {
    const seen: string[] = [];
    const { clock, queues } = setup(async (e) => {
      seen.push(e.rv);
      return undefined;
    });
    queues.push({ key: 'a', rv: '1' });
    queues.push({ key: 'a', rv: '2' });
    const closing = queues.close(2000);
    await clock.advance(0);
    await closing;
    expect([seen, queues.size]).toEqual([['1', '2'], 0]);
    expect(() => queues.push({ key: 'a', rv: '3' })).toThrow(/after the queues were closed/);
  });
});

describe('ObjectQueues retries', () => {
  it('re-processes the last event after the requested delay', async () => {
    const seen: string[] = [];
    const { clock, queues } = setup(async (e) => {
      seen.push(`${e.rv}@${clock.now()}`);
      return seen.length < 3 ? { retryAfter: 1000 } : undefined;
    });
    queues.push({ key: 'a', rv: '1' });
    await clock.advance(5000);
    expect(seen).toEqual(['1@0', '1@1000', '1@2000']);
  });

  it('processes newer events instead when they arrive during the delay', async () => {
    const seen: string[] = [];
    const { clock, queues } = setup(async (e) => {
      seen.push(`${e.rv}@${clock.now()}`);
      return e.rv === '1' ? { retryAfter: 1000 } : undefined;
    });
    queues.push({ key: 'a', rv: '1' });
    await clock.advance(500);
    queues.push({ key: 'a', rv: '2' });
    await clock.advance(2000);
    expect(seen).toEqual(['1@0', '2@500']);
  });

  it('re-processes the last event at once when poked during a retry sleep or while busy', async () => {
    const seen: number[] = [];
    let poke: () => void = () => {};
    let pokeWhileBusy = false;
    const { clock, queues } = setup(async (_e, context) => {
      seen.push(clock.now());
      poke = context.poke;
      if (pokeWhileBusy) {
        pokeWhileBusy = false;
        context.poke();
      }
      return { retryAfter: 60_000 };
    });
    queues.push({ key: 'a', rv: '1' });
    await clock.advance(1_000);
    poke();
    await clock.advance(0);
    expect(seen).toEqual([0, 1_000]);
    pokeWhileBusy = true;
    poke();
    await clock.advance(0);
    expect(seen).toEqual([0, 1_000, 1_000, 1_000]);
    queues.poke('unknown');
    await clock.advance(60_000);
    expect(seen).toEqual([0, 1_000, 1_000, 1_000, 61_000]);
  });

  it('cuts a retry sleep short on close, without processing again', async () => {
    const seen: number[] = [];
    const { clock, queues } = setup(async () => {
      seen.push(clock.now());
      return { retryAfter: 600_000 };
    });
    queues.push({ key: 'a', rv: '1' });
    await clock.advance(1_000);
    await queues.close(5_000);
    expect(queues.size).toBe(0);
    expect(clock.pending).toBe(0);
    expect(seen).toEqual([0]);
  });
});
