import type { ProgressRecord } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { HandlerState } from './handler-states.js';
import { Timestamp } from './timestamps.js';

// Timestamps of Kopf's tests/persistence/test_states.py: before (B), zero (0), after (A), zero+1s (1).
const TSB = '2020-12-31T23:59:59.000000+00:00';
const TS0 = '2020-12-31T23:59:59.123456+00:00';
const TSA = '2020-12-31T23:59:59.999999+00:00';
const TS1 = '2021-01-01T00:00:00.123456+00:00';
const NOW = Timestamp.parse(TS0).epochMicros / 1000; // epoch ms with the microseconds as a fraction

const read = (record: ProgressRecord) => HandlerState.fromRecord(record, NOW);

describe('HandlerState.fromRecord', () => {
  it('defaults what is missing and starts now when started is absent', () => {
    const state = read({});
    expect([state.active, state.retries, state.success, state.failure, state.purpose, state.message]).toEqual(
      [false, 0, false, false, undefined, undefined],
    );
    expect(state.started.format()).toBe(TS0);
  });

  it.each([TSB, TS0, TSA])('keeps the stored start %s', (started) => {
    expect(read({ started }).started.format()).toBe(started);
  });
});

describe('HandlerState flags', () => {
  it.each([
    [{}, false],
    [{ success: false }, false],
    [{ success: null }, false],
    [{ success: true }, true],
    [{ failure: true }, true],
  ])('is finished for %j: %s', (record, expected) => {
    expect(read(record as ProgressRecord).isFinished).toBe(expected);
  });

  it.each([
    [{ success: true, delayed: TSA }, false, false],
    [{ failure: true, delayed: TS0 }, false, false],
    [{}, false, true],
    [{ delayed: null }, false, true],
    [{ delayed: TSB }, false, true],
    [{ delayed: TS0 }, false, true],
    [{ delayed: TSA }, true, false],
    [{ delayed: TSA, success: null }, true, false],
  ])('for %j is sleeping=%s, awake=%s at time zero', (record, sleeping, awake) => {
    const state = read(record as ProgressRecord);
    expect([state.isSleeping(NOW), state.isAwake(NOW)]).toEqual([sleeping, awake]);
  });

  it('measures the runtime since the start, in seconds', () => {
    expect(read({ started: TSB }).runtime(NOW)).toBeCloseTo(0.123456, 6);
    expect(read({ started: TSA }).runtime(NOW)).toBeCloseTo(-0.876543, 6);
    expect(read({}).runtime(NOW)).toBe(0);
  });
});

describe('HandlerState.withOutcome', () => {
  it('counts a retry and delays from now', () => {
    const state = read({ retries: 5 }).withOutcome({ final: false, delay: 1 }, NOW);
    expect([state.retries, state.delayed?.format(), state.stopped]).toEqual([6, TS1, undefined]);
    expect(read({}).withOutcome({ final: false, delay: 0 }, NOW).delayed?.format()).toBe(TS0);
    expect(read({}).withOutcome({ final: false }, NOW).delayed).toBeUndefined();
  });

  it('records a success', () => {
    const state = read({ retries: 5 }).withOutcome({ final: true }, NOW);
    expect(state.toRecord()).toMatchObject({
      success: true,
      failure: false,
      retries: 6,
      stopped: TS0,
      message: null,
    });
  });

  it('records a failure with the error message', () => {
    const state = read({}).withOutcome({ final: true, error: new Error('some-error') }, NOW);
    expect(state.toRecord()).toMatchObject({ success: false, failure: true, retries: 1, stopped: TS0 });
    expect(state.message).toBe('some-error');
    expect(read({}).withOutcome({ final: false, error: 'plain' }, NOW).message).toBe('plain');
  });

  it('keeps the first stop time', () => {
    const state = read({ stopped: TSB }).withOutcome({ final: true }, NOW);
    expect(state.stopped?.format()).toBe(TSB);
  });

  it('merges, deduplicates and sorts sub-handler ids', () => {
    const state = read({ subrefs: ['sub9/2', 'sub9/1'] }).withOutcome(
      { final: true, subrefs: ['sub2/b', 'sub2/a', 'sub2', 'sub1', 'sub3', 'sub1'] },
      NOW,
    );
    expect(state.toRecord().subrefs).toEqual([
      'sub1',
      'sub2',
      'sub2/a',
      'sub2/b',
      'sub3',
      'sub9/1',
      'sub9/2',
    ]);
    expect(read({}).withOutcome({ final: true, subrefs: [] }, NOW).toRecord().subrefs).toBeNull();
  });
});

describe('HandlerState records', () => {
  it('writes every field in Kopf order, nulls for unset ones', () => {
    const state = HandlerState.fromScratch(NOW, 'create').withOutcome(
      { final: false, delay: 1, error: new Error('not yet') },
      NOW,
    );
    expect(JSON.stringify(state.toRecord())).toBe(
      `{"started":"${TS0}","stopped":null,"delayed":"${TS1}","purpose":"create","retries":1,` +
        '"success":false,"failure":false,"message":"not yet","subrefs":null}',
    );
  });

  it('is unchanged when read from a record Kopf wrote, changed once advanced', () => {
    const stored = { started: TS0, purpose: 'create', retries: 1, success: false, failure: false } as const;
    expect(read(stored).isChanged).toBe(false);
    expect(read({ ...stored, started: '2020-12-31T23:59:59.123456-11:00' }).isChanged).toBe(false);
    expect(read(stored).withOutcome({ final: true }, NOW).isChanged).toBe(true);
    expect(HandlerState.fromScratch(NOW).isChanged).toBe(true);
  });

  it('is changed when the stored text is not in Kopf canonical form', () => {
    expect(
      read({ started: '2020-12-31T23:59:59.123456Z', retries: 0, success: false, failure: false }).isChanged,
    ).toBe(true);
  });
});
