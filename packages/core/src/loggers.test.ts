import { describe, expect, it } from 'vitest';
import { isLevelEnabled } from './loggers.js';

describe('isLevelEnabled', () => {
  it('passes levels at or above the threshold only', () => {
    expect(isLevelEnabled('info', 'info')).toBe(true);
    expect(isLevelEnabled('error', 'warning')).toBe(true);
    expect(isLevelEnabled('debug', 'info')).toBe(false);
    expect(isLevelEnabled('warning', 'critical')).toBe(false);
  });
});
