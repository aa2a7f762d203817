import { describe, expect, it } from 'vitest';
import { type CheckResult, exitCode, formatReport } from './report.js';

const passed: CheckResult = {
  name: 'kopf version',
  ok: true,
  seconds: 1.25,
  details: ['npx kopf version: 0.1.0'],
};
const failed: CheckResult = {
  name: 'fake server',
  ok: false,
  seconds: 3,
  details: ['kubectl failed:\nrefused'],
};

describe('formatReport', () => {
  it('prints a line per check, its details indented, and the totals last', () => {
    expect(formatReport([passed, failed], 12.34)).toEqual([
      'PASS  kopf version (1.3 s)',
      '      npx kopf version: 0.1.0',
      'FAIL  fake server (3.0 s)',
      '      kubectl failed:',
      '      refused',
      'pack smoke: 1 passed, 1 failed in 12.3 s',
    ]);
  });
});

describe('exitCode', () => {
  it('is 0 only when every check passed', () => {
    expect(exitCode([passed])).toBe(0);
    expect(exitCode([passed, failed])).toBe(1);
  });

  it('is 1 when no check ran', () => {
    expect(exitCode([])).toBe(1);
  });
});
