import type { Body, Reason } from '@kopf/core';
import { Patch } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { AnnotationsProgressStorage, StatusProgressStorage } from './progress.js';
import { HandlerStateError, State } from './states.js';
import { ProgressRecordError } from './storage-errors.js';
import { Timestamp } from './timestamps.js';

// As in Kopf's tests/persistence/test_states.py: the status storage keeps assertions readable.
const storage = new StatusProgressStorage();
const TS0 = '2020-12-31T23:59:59.123456+00:00';
const TS1 = '2021-01-01T00:00:00.123456+00:00';
const NOW = Timestamp.parse(TS0).epochMicros / 1000;
const REASONS: Reason[] = ['create', 'update', 'delete', 'resume'];
const handler = { id: 'some-id' };

const progressOf = (records: Record<string, object>): Body => ({ status: { kopf: { progress: records } } });
const load = (body: Body, handlers = [handler]) => State.fromStorage({ body, storage, handlers, now: NOW });

describe('State creation', () => {
  it('is empty and done from scratch', () => {
    const state = State.fromScratch();
    expect([state.size, state.purpose, state.isDone, state.delay(NOW), state.delays(NOW)]).toEqual([
      0,
      undefined,
      true,
      undefined,
      [],
    ]);
    expect([state.counts, state.extras]).toEqual([{ succeeded: 0, failed: 0, left: 0 }, new Map()]);
  });

  it.each([{}, { status: {} }, { status: { kopf: { progress: {} } } }])(
    'is empty from an empty storage %j',
    (body) => {
      expect(load(body).size).toBe(0);
    },
  );

  it('reads only the given handlers, as passive states', () => {
    const body = progressOf({ 'some-id': {}, other: { success: true } });
    expect(load(body, []).size).toBe(0);
    const state = load(body);
    expect([state.ids(), state.get('some-id')?.active, state.isDone]).toEqual([['some-id'], false, true]);
  });

  it('activates the selected handlers, reading unfinished ones into isDone and delays', () => {
    const state = load(progressOf({ 'some-id': { delayed: TS1 } })).withHandlers([handler], NOW);
    expect([state.get('some-id')?.active, state.isDone, state.delays(NOW), state.delay(NOW)]).toEqual([
      true,
      false,
      [1],
      1,
    ]);
    expect(load(progressOf({ 'some-id': { delayed: TS1 } })).delays(NOW)).toEqual([]);
  });

  it('wraps an unreadable timestamp into a ProgressRecordError naming the handler', () => {
    expect(() => load(progressOf({ 'some-id': { started: 'yesterday' } }))).toThrow(ProgressRecordError);
    expect(() => load(progressOf({ 'some-id': { started: 'yesterday' } }))).toThrow(/handler 'some-id'/);
  });
});

describe('State purposes', () => {
  it.each(REASONS)(
    'gives new handlers the purpose %s, but keeps stored ones unless re-purposed',
    (reason) => {
      expect(
        State.fromScratch().withPurpose(reason).withHandlers([handler], NOW).get('some-id')?.purpose,
      ).toBe(reason);
      const after = State.fromScratch().withHandlers([handler], NOW).withPurpose(reason);
      expect([after.purpose, after.get('some-id')?.purpose]).toEqual([reason, undefined]);
      expect(after.withPurpose(reason, [handler]).get('some-id')?.purpose).toBe(reason);
      const stored = load(progressOf({ 'some-id': { purpose: reason } }));
      expect([stored.purpose, stored.get('some-id')?.purpose]).toEqual([undefined, reason]);
    },
  );

  it('refuses to re-purpose an unknown handler', () => {
    expect(() => State.fromScratch().withPurpose('create', [handler])).toThrow(HandlerStateError);
  });
});

describe('State counters', () => {
  it.each([
    [{}, { succeeded: 0, failed: 0, left: 1 }, false, [0]],
    [{ failure: true }, { succeeded: 0, failed: 1, left: 0 }, true, []],
    [{ success: true }, { succeeded: 1, failed: 0, left: 0 }, true, []],
  ])('counts %j of the current purpose', (record, counts, done, delays) => {
    for (const reason of REASONS) {
      const state = load(progressOf({ 'some-id': { ...record, purpose: reason } }))
        .withPurpose(reason)
        .withHandlers([handler], NOW);
      expect([state.counts, state.isDone, state.delays(NOW), state.extras.size]).toEqual([
        counts,
        done,
        delays,
        0,
      ]);
    }
  });

  it('counts records of other purposes as extras, the causes being superseded', () => {
    const state = load(progressOf({ 'some-id': { purpose: 'create', success: true } })).withPurpose('update');
    expect([state.extras.get('create'), state.counts, state.isDone]).toEqual([
      { succeeded: 1, failed: 0, left: 0 },
      { succeeded: 0, failed: 0, left: 0 },
      true,
    ]);
  });

  it('supersedes a creation in progress by a deletion (Kopf issue 601)', () => {
    const body = progressOf({
      fn1: { purpose: 'create', failure: true },
      fn2: { purpose: 'create', success: true },
      fn3: { purpose: 'create', delayed: TS1 },
    });
    const owned = ['fn1', 'fn2', 'fn3', 'delete_fn'];
    let state = State.fromStorage({ body, storage, handlers: owned, now: NOW })
      .withPurpose('delete')
      .withHandlers(['delete_fn'], NOW);
    const extras = new Map([['create', { succeeded: 1, failed: 1, left: 1 }]]);
    expect([state.size, state.extras, state.counts, state.isDone, state.delays(NOW)]).toEqual([
      4,
      extras,
      { succeeded: 0, failed: 0, left: 1 },
      false,
      [0],
    ]);
    state = state.withOutcomes({ delete_fn: { final: true } }, NOW);
    expect([state.extras, state.counts, state.isDone, state.delays(NOW)]).toEqual([
      extras,
      { succeeded: 1, failed: 0, left: 0 },
      true,
      [],
    ]);
  });
});

describe('State outcomes', () => {
  it('keeps states passive or active as they were', () => {
    const passive = load(progressOf({ 'some-id': {} })).withOutcomes(
      new Map([['some-id', { final: true }]]),
      NOW,
    );
    const active = State.fromScratch()
      .withHandlers([handler], NOW)
      .withOutcomes({ 'some-id': { final: true } }, NOW);
    expect([passive.get('some-id')?.active, active.get('some-id')?.active]).toEqual([false, true]);
  });

  it('refuses outcomes of unknown handlers', () => {
    expect(() => State.fromScratch().withOutcomes({ x: { final: true } }, NOW)).toThrow(/no state for 'x'/);
  });

  it('drops successes on request', () => {
    const state = State.fromScratch()
      .withHandlers(['a', 'b'], NOW)
      .withOutcomes({ a: { final: true }, b: { final: false, delay: 1 } }, NOW);
    expect(state.withoutSuccesses().ids()).toEqual(['b']);
  });
});

describe('State.storeInto', () => {
  it('writes new states with their start time', () => {
    const patch = new Patch();
    State.fromScratch().withHandlers([handler], NOW).storeInto({ body: {}, patch, storage });
    expect(patch.status.kopf).toEqual({
      progress: {
        'some-id': {
          started: TS0,
          stopped: null,
          delayed: null,
          purpose: null,
          retries: 0,
          success: false,
          failure: false,
          message: null,
          subrefs: null,
        },
      },
    });
  });

  it('writes nothing for records that did not change, and leaves the body alone', () => {
    const body = progressOf({ 'some-id': { started: TS0, retries: 1, success: false, failure: false } });
    const patch = new Patch();
    load(body).withHandlers([handler], NOW).storeInto({ body, patch, storage });
    expect(patch.isEmpty).toBe(true);
    expect(body).toEqual(
      progressOf({ 'some-id': { started: TS0, retries: 1, success: false, failure: false } }),
    );
  });
});

describe('State.purgeFrom', () => {
  it('nulls stored records of the given handlers and of the state', () => {
    const body = progressOf({ 'some-id': { retries: 5 } });
    for (const [handlers, fromHandlers] of [
      [[handler], [handler]],
      [[handler], []],
      [[], [handler]],
    ] as const) {
      const patch = new Patch();
      load(body, [...fromHandlers]).purgeFrom({ body, patch, storage, handlers });
      expect(patch.toMergePatch()).toEqual({ status: { kopf: { progress: { 'some-id': null } } } });
    }
  });

  it('cascades to stored sub-handlers only', () => {
    const body = progressOf({
      'some-id': { subrefs: ['sub1', 'sub2', 'sub3'] },
      sub1: {},
      sub2: {},
      'sub-unrelated': {},
    });
    const patch = new Patch();
    load(body).purgeFrom({ body, patch, storage, handlers: [handler] });
    expect(patch.toMergePatch()).toEqual({
      status: { kopf: { progress: { 'some-id': null, sub1: null, sub2: null } } },
    });
  });

  it('leaves no trace of a cause done within one cycle (a single success writes nothing)', () => {
    const annotations = new AnnotationsProgressStorage();
    const patch = new Patch();
    const state = State.fromStorage({ body: {}, storage: annotations, handlers: [handler], now: NOW })
      .withPurpose('create')
      .withHandlers([handler], NOW)
      .withOutcomes({ 'some-id': { final: true } }, NOW);
    state.storeInto({ body: {}, patch, storage: annotations });
    expect(patch.isEmpty).toBe(false);
    state.purgeFrom({ body: {}, patch, storage: annotations, handlers: [handler] });
    expect([state.isDone, patch.isEmpty]).toEqual([true, true]);
  });
});
