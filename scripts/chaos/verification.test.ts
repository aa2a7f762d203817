import type { KubernetesObject } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { DIFF_BASE_ANNOTATION, FINALIZER, objectBody } from './chaos-objects.js';
import type { ChaosHandlerId, HandlerRun, SideRecord } from './side-store.js';
import { type ChaosEvidence, type ProcessRecord, verifyChaos } from './verification.js';

const NAME = 'chaos-000001';

/** The object as a healthy operator leaves it: diff-base, results, finalizer. */
function handled(value: number): KubernetesObject {
  const body = objectBody(1, value);
  return {
    ...body,
    metadata: {
      ...body.metadata,
      finalizers: [FINALIZER],
      annotations: { [DIFF_BASE_ANNOTATION]: `{"spec":{"value":${value}}}\n` },
    },
    status: { create_first: { value: 1 }, create_second: { value: 1 }, update_fn: { value } },
  };
}

function run(handler: ChaosHandlerId, value: number, at: number, pid = 100, extra: Partial<HandlerRun> = {}) {
  const record: HandlerRun = {
    kind: 'run',
    at,
    pid,
    handler,
    object: NAME,
    generation: value,
    value,
    retry: 0,
    outcome: 'success',
    persistedBefore: false,
    ...extra,
  };
  return record;
}

const STOPPED: ProcessRecord = {
  index: 1,
  pid: 100,
  killedAt: undefined,
  stoppedAt: 50,
  exit: { code: 0, signal: null },
  startError: undefined,
  stderr: '',
};

/** One object created (value 1), updated to 2, kept; one clean process; one 410 seen. */
function evidence(changes: Partial<ChaosEvidence> = {}): ChaosEvidence {
  const records: SideRecord[] = [
    run('create_first', 1, 1),
    run('create_second', 1, 2),
    run('update_fn', 2, 3),
    { kind: 'watch-restart', at: 4, pid: 100, reason: 'expired' },
  ];
  return {
    outcomes: [{ name: NAME, finalValue: 2, deleted: false }],
    records,
    processes: [STOPPED],
    finalObjects: new Map([[NAME, handled(2)]]),
    compactions: 1,
    ...changes,
  };
}

function rules(changes: Partial<ChaosEvidence>): string[] {
  return verifyChaos(evidence(changes)).violations.map((violation) => violation.rule);
}

describe('verifyChaos', () => {
  it('passes a clean run and counts it', () => {
    const verdict = verifyChaos(evidence());
    expect(verdict.violations).toEqual([]);
    expect(verdict.counts).toMatchObject({
      objects: 1,
      survivors: 1,
      attempts: 3,
      successes: { create_first: 1, create_second: 1, update_fn: 1, delete_fn: 0 },
      watchRestarts: { expired: 1 },
    });
  });

  it('finds a final state that no handler succeeded for', () => {
    const records = evidence().records.filter(
      (record) => record.kind !== 'run' || record.handler !== 'update_fn',
    );
    expect(rules({ records, finalObjects: new Map([[NAME, handled(1)]]) })).toEqual([
      'state-not-handled',
      'state-not-handled',
    ]);
  });

  it("finds a handler's last result missing from the status", () => {
    const object = handled(2);
    const finalObjects = new Map([[NAME, { ...object, status: { create_first: { value: 1 } } }]]);
    expect(rules({ finalObjects })).toEqual(['result-lost', 'result-lost']);
  });

  it('excuses a repeated success only when its process was killed in between', () => {
    const records = [...evidence().records, run('create_first', 1, 10, 200)];
    expect(rules({ records })).toEqual(['repeated-without-kill', 'creation-not-once']);
    const killed: ProcessRecord = {
      ...STOPPED,
      killedAt: 5,
      stoppedAt: undefined,
      exit: { code: null, signal: 'SIGKILL' },
    };
    const second: ProcessRecord = { ...STOPPED, index: 2, pid: 200 };
    const verdict = verifyChaos(evidence({ records, processes: [killed, second] }));
    expect(verdict.violations).toEqual([]);
    expect(verdict.counts.excusedRepeats).toEqual([
      { object: NAME, handler: 'create_first', killedPid: 100, killedAfter: 4 },
    ]);
  });

  it('finds an attempt that started when its success was already persisted', () => {
    const records = [
      ...evidence().records,
      run('update_fn', 2, 10, 100, { outcome: 'temporary-failure', persistedBefore: true }),
    ];
    expect(rules({ records })).toEqual(['ran-after-persisted']);
  });

  it('finds a deleted object left behind by its finalizer, and a deletion never handled', () => {
    const outcomes = [{ name: NAME, finalValue: 2, deleted: true }];
    expect(rules({ outcomes })).toEqual(['finalizer-left-behind', 'deletion-not-handled']);
    const records = [...evidence().records, run('delete_fn', 2, 10)];
    expect(rules({ outcomes, records, finalObjects: new Map() })).toEqual([]);
  });

  it('finds crashes, stderr output and operator errors', () => {
    const crashed: ProcessRecord = {
      ...STOPPED,
      stoppedAt: undefined,
      exit: { code: 1, signal: null },
      stderr: 'Error: boom\n',
    };
    const records = [
      ...evidence().records,
      { kind: 'operator-error' as const, at: 5, pid: 100, message: 'oops' },
    ];
    expect(rules({ processes: [crashed], records })).toEqual(['crash', 'stderr-output', 'operator-error']);
  });

  it('finds compactions that no watch noticed', () => {
    const records = evidence().records.filter((record) => record.kind !== 'watch-restart');
    expect(rules({ records })).toEqual(['gone-not-seen']);
    expect(rules({ records, compactions: 0 })).toEqual([]);
  });
});
