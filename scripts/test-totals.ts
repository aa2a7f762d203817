/**
 * Prints the totals of one or more vitest JSON reports as the last line of CI:
 * `N passed, M failed` (and `, K skipped` when any were skipped).
 *
 * Run: `npx tsx scripts/test-totals.ts report.json [more.json ...]`. A report that
 * is missing or unreadable counts as one failure, so a crashed suite is never
 * reported as green.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

interface VitestReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: readonly { status?: string; assertionResults?: readonly { status?: string }[] }[];
}

/** Test files that failed without a failed test: they did not load or crashed. */
function brokenFiles(report: VitestReport): number {
  return (report.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
}

export function totalsOf(reports: readonly (VitestReport | undefined)[]): Totals {
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  for (const report of reports) {
    if (!report) {
      totals.failed += 1;
      continue;
    }
    totals.passed += report.numPassedTests ?? 0;
    // A file that fails to load has no failed tests but must still count.
    totals.failed += (report.numFailedTests ?? 0) + brokenFiles(report);
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  return totals;
}

export function formatTotals({ passed, failed, skipped }: Totals): string {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

function readReport(path: string): VitestReport | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
  } catch {
    console.error(`test-totals: cannot read ${path}; counting it as a failure.`);
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(formatTotals(totalsOf(process.argv.slice(2).map(readReport))));
}
