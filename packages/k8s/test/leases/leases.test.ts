import { acquireLease, releaseLease, renewLease } from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import { startCluster } from '../support.js';

describe('leases', () => {
  it('are acquired by one contender, renewed by it, and taken over only after expiry', async () => {
    const { client } = await startCluster();
    let now = new Date('2030-01-01T00:00:00Z');
    const base = { namespace: 'default', name: 'kopf-leader', durationSeconds: 15, now: () => now };
    const alice = { ...base, holder: 'alice' };
    const bob = { ...base, holder: 'bob' };

    const acquired = await acquireLease(client, alice);
    expect(acquired?.spec).toMatchObject({
      holderIdentity: 'alice',
      leaseDurationSeconds: 15,
      acquireTime: '2030-01-01T00:00:00.000000Z',
      renewTime: '2030-01-01T00:00:00.000000Z',
      leaseTransitions: 0,
    });
    await expect(acquireLease(client, bob)).resolves.toBeUndefined();

    now = new Date('2030-01-01T00:00:10Z');
    const renewed = await renewLease(client, alice);
    expect(renewed?.spec?.renewTime).toBe('2030-01-01T00:00:10.000000Z');
    await expect(renewLease(client, bob)).resolves.toBeUndefined();

    now = new Date('2030-01-01T00:00:30Z'); // alice stopped renewing 20 s ago
    const taken = await acquireLease(client, bob);
    expect(taken?.spec).toMatchObject({ holderIdentity: 'bob', leaseTransitions: 1 });
    await expect(renewLease(client, alice)).resolves.toBeUndefined();

    await expect(releaseLease(client, alice)).resolves.toBe(false);
    await expect(releaseLease(client, bob)).resolves.toBe(true);
    await expect(acquireLease(client, alice)).resolves.toMatchObject({ spec: { holderIdentity: 'alice' } });
  });

  it('let only one of two simultaneous contenders win', async () => {
    const { client } = await startCluster();
    const base = { namespace: 'default', name: 'race' };
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((holder) => acquireLease(client, { ...base, holder })),
    );
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
  });
});
