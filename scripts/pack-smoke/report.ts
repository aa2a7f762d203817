/**
 * The pack smoke test's report: one PASS/FAIL line per check with its time and
 * what it saw, the failures' messages, and a last line CI logs can be grepped for.
 */

/** How one check went. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  /** What it saw (on success) or the error message (on failure). */
  readonly details: readonly string[];
}

/** The report's lines; the last one is `pack smoke: N passed, M failed in S s`. */
export function formatReport(results: readonly CheckResult[], totalSeconds: number): string[] {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${result.ok ? 'PASS' : 'FAIL'}  ${result.name} (${result.seconds.toFixed(1)} s)`);
    for (const detail of result.details) lines.push(...detail.split('\n').map((line) => `      ${line}`));
  }
  const failed = results.filter((result) => !result.ok).length;
  lines.push(
    `pack smoke: ${results.length - failed} passed, ${failed} failed in ${totalSeconds.toFixed(1)} s`,
  );
  return lines;
}

/** The process exit code for these results: 1 when any failed or none ran. */
export function exitCode(results: readonly CheckResult[]): number {
  return results.length > 0 && results.every((result) => result.ok) ? 0 : 1;
}
