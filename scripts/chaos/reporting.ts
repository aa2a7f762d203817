/**
 * The chaos run's printout: how to repeat it (the seed), what was done (objects,
 * faults, failed writes), what the handlers did, and one line per check with its
 * count — a check fails when any of its rules was broken, and the broken rules are
 * listed below it with the objects or processes concerned.
 */

import type { FaultCounts } from './faulting.js';
import type { ChaosVerdict, Violation, ViolationRule } from './verification.js';
import type { WriteFaultCounts } from './write-faults.js';

/** What the run did, besides the verdict. */
export interface RunFacts {
  readonly seed: string;
  readonly sizeName: string;
  readonly updates: number;
  readonly faults: FaultCounts;
  readonly writeFaults: WriteFaultCounts;
  /** Seconds from the end of the faults until everything was handled; `undefined`: it never was. */
  readonly settledAfter: number | undefined;
  readonly seconds: number;
}

/** One line of the verdict and the rules it stands for. */
interface Check {
  readonly title: string;
  readonly rules: readonly ViolationRule[];
}

/** The checks, in the order printed. */
export const CHECKS: readonly Check[] = [
  {
    title: "nothing lost: every surviving object's final state was handled",
    rules: ['state-not-handled', 'object-missing'],
  },
  { title: 'every creation handler succeeded exactly once per object', rules: ['creation-not-once'] },
  {
    title: 'restarts do not repeat work (no attempt after a persisted success)',
    rules: ['ran-after-persisted', 'repeated-without-kill'],
  },
  {
    title: 'every deleted object is gone, no finalizer left behind',
    rules: ['object-left-behind', 'finalizer-left-behind', 'deletion-not-started'],
  },
  { title: 'the deletion handler succeeded for every deleted object', rules: ['deletion-not-handled'] },
  { title: "every handler's last result is in the object's status", rules: ['result-lost'] },
  {
    title: 'no crash, no unhandled rejection, no operator error, nothing on stderr',
    rules: ['crash', 'operator-error', 'stderr-output'],
  },
  { title: 'the compactions made the watches get 410 Gone', rules: ['gone-not-seen'] },
];

/** At most this many violations are listed per rule. */
const LISTED = 10;

/** The report's lines. */
export function formatReport(facts: RunFacts, verdict: ChaosVerdict): string[] {
  const { counts, violations } = verdict;
  const { faults, writeFaults } = facts;
  const writes = writeFaults.passed + writeFaults.failed;
  const share = writes > 0 ? ((100 * writeFaults.failed) / writes).toFixed(1) : '0.0';
  const codes = Object.entries(writeFaults.byCode)
    .map(([code, count]) => `${count}×${code}`)
    .join(', ');
  const lines = [
    `Chaos run (${facts.sizeName}), seed ${facts.seed}: repeat with CHAOS_SEED=${facts.seed}`,
    `  objects: ${counts.objects} created, ${facts.updates} updates, ${counts.deleted} deleted, ${counts.survivors} kept`,
    `  faults: ${faults.kills} SIGKILLs (${counts.processes} operator processes), ${faults.cuts} moments of cut watch streams (${faults.streamsCut} streams), ${faults.compactions} compactions (410 Gone)`,
    `  watch restarts seen by the operators: ${describeRestarts(counts.watchRestarts)}`,
    `  failed writes: ${writeFaults.failed} of the operator's ${writes} writes (${share}%${codes ? `: ${codes}` : ''})`,
    `  handler attempts: ${counts.attempts} (${counts.temporaryFailures} failed on purpose); successes: ${Object.entries(
      counts.successes,
    )
      .map(([handler, n]) => `${handler} ${n}`)
      .join(', ')}`,
    `  repeats in the at-least-once window (killed after a success, before persisting it): ${counts.excusedRepeats.length}`,
    ...counts.excusedRepeats
      .slice(0, LISTED)
      .map(
        (repeat) =>
          `    ${repeat.object} ${repeat.handler}: pid ${repeat.killedPid} was killed ${repeat.killedAfter} ms after its success`,
      ),
    `  settled: ${facts.settledAfter === undefined ? 'no, gave up waiting' : `${facts.settledAfter.toFixed(1)} s after the faults`}; the run took ${facts.seconds.toFixed(0)} s`,
    'Checks:',
  ];
  for (const check of CHECKS) {
    const broken = violations.filter((violation) => check.rules.includes(violation.rule));
    lines.push(
      `  ${broken.length === 0 ? 'ok  ' : 'FAIL'} ${check.title}${broken.length ? `: ${broken.length} violations` : ''}`,
    );
    lines.push(...listViolations(broken));
  }
  lines.push(
    violations.length === 0 ? 'Chaos: all checks passed.' : `Chaos: ${violations.length} violations.`,
  );
  return lines;
}

function describeRestarts(restarts: Readonly<Record<string, number>>): string {
  const total = Object.values(restarts).reduce((sum, n) => sum + n, 0);
  const parts = Object.entries(restarts).map(([reason, n]) =>
    reason === 'expired' ? `${n} after 410 Gone` : `${n} ${reason}`,
  );
  return `${total}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function listViolations(violations: readonly Violation[]): string[] {
  const lines: string[] = [];
  const byRule = new Map<ViolationRule, Violation[]>();
  for (const violation of violations)
    byRule.set(violation.rule, [...(byRule.get(violation.rule) ?? []), violation]);
  for (const [rule, list] of byRule) {
    lines.push(`       ${rule} (${list.length}):`);
    for (const violation of list.slice(0, LISTED))
      lines.push(`         ${violation.subject}: ${violation.detail}`);
    if (list.length > LISTED) lines.push(`         … and ${list.length - LISTED} more`);
  }
  return lines;
}
