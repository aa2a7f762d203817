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

  it('counts a missing report and a file that failed to load as failures', () => {
    const report = {
      numPassedTests: 1,
      testResults: [
        { status: 'failed', assertionResults: [] },
        { status: 'passed', assertionResults: [{ status: 'passed' }] },
      ],
    };
    expect(formatTotals(totalsOf([undefined, report]))).toBe('1 passed, 2 failed');
  });

  it('counts a failed test once, not again for its file', () => {
    const report = {
      numPassedTests: 1,
      numFailedTests: 1,
      testResults: [{ status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'passed' }] }],
    };
    expect(formatTotals(totalsOf([report]))).toBe('1 passed, 1 failed');
  });
});
