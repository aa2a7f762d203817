import { describe, expect, it } from 'vitest';
import { formatReport, type RunFacts } from './reporting.js';
import type { ChaosVerdict } from './verification.js';

const FACTS: RunFacts = {
  seed: 'abcd1234',
  sizeName: 'small',
  updates: 7,
  faults: { kills: 3, cuts: 8, streamsCut: 20, compactions: 2 },
  writeFaults: { passed: 95, failed: 5, byCode: { 500: 3, 429: 2 } },
  settledAfter: 1.5,
  seconds: 21,
};

const VERDICT: ChaosVerdict = {
  counts: {
    objects: 10,
    deleted: 4,
    survivors: 6,
    attempts: 40,
    temporaryFailures: 4,
    successes: { create_first: 10, create_second: 10, update_fn: 7, delete_fn: 4 },
    excusedRepeats: [{ object: 'chaos-000001', handler: 'create_first', killedPid: 42, killedAfter: 30 }],
    processes: 4,
    watchRestarts: { closed: 5, expired: 2 },
  },
  violations: [],
};

describe('formatReport', () => {
  it('says how to repeat the run, what was done, and that every check passed', () => {
    const lines = formatReport(FACTS, VERDICT);
    expect(lines[0]).toBe('Chaos run (small), seed abcd1234: repeat with CHAOS_SEED=abcd1234');
    expect(lines).toContain('  watch restarts seen by the operators: 7 (5 closed, 2 after 410 Gone)');
    expect(lines).toContain("  failed writes: 5 of the operator's 100 writes (5.0%: 2×429, 3×500)");
    expect(lines).toContain('    chaos-000001 create_first: pid 42 was killed 30 ms after its success');
    expect(lines.filter((line) => line.startsWith('  FAIL'))).toEqual([]);
    expect(lines.at(-1)).toBe('Chaos: all checks passed.');
  });

  it('marks the failed check and lists its violations', () => {
    const violations = [
      { rule: 'finalizer-left-behind' as const, subject: 'chaos-000002', detail: 'still held' },
    ];
    const lines = formatReport(FACTS, { ...VERDICT, violations });
    expect(lines).toContain('  FAIL every deleted object is gone, no finalizer left behind: 1 violations');
    expect(lines).toContain('         chaos-000002: still held');
    expect(lines.at(-1)).toBe('Chaos: 1 violations.');
  });
});
