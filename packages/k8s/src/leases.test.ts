import { describe, expect, it } from 'vitest';
import { isLeaseExpired } from './leases.js';

describe('isLeaseExpired', () => {
  const now = new Date('2024-01-01T00:01:00Z');

  it('is free when nobody holds it', () => {
    expect(isLeaseExpired({ spec: {} }, now)).toBe(true);
    expect(isLeaseExpired({}, now)).toBe(true);
  });

  it('is held until the renew time plus the duration has passed', () => {
    const lease = (renewTime: string) => ({
      spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime },
    });
    expect(isLeaseExpired(lease('2024-01-01T00:00:50.000000Z'), now)).toBe(false);
    expect(isLeaseExpired(lease('2024-01-01T00:00:40.000000Z'), now)).toBe(true);
  });
});
