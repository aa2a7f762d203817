import { describe, expect, it } from 'vitest';
import { formatTotals, totalsOf } from './test-totals.ts';

describe('totalsOf', () => {
  it('sums passed, failed and skipped over reports', () => {
    const totals = totalsOf([
      { numPassedTests: 3, numFailedTests: 1, numPendingTests: 0 },
      { numPassedTests: 2, numFailedTests: 0, numPendingTests: 1, numTodoTests: 1 },
    ]);
    expect(formatTotals(totals)).toBe('5 passed, 1 failed, 2 skipped');
  });

  it('counts a missing report and a suite that failed to load as failures', () => {
    expect(formatTotals(totalsOf([undefined, { numPassedTests: 1, numFailedTestSuites: 1 }]))).toBe(
      '1 passed, 2 failed',
    );
  });
});
