/**
 * Leadership through a coordination.k8s.io Lease, the Kubernetes-native
 * alternative (or complement) to Kopf's peering: of all replicas naming the same
 * Lease, only its holder acts; the others stay paused and take it over once the
 * holder stops renewing it (a crashed pod) or releases it (a graceful stop). No
 * CRD is needed, only RBAC for `leases`. The holder renews every third of the
 * duration; if it cannot renew before the lease would expire, it pauses itself.
 */
import type { Logger } from '@kopf/core';
import { type ApiClient, acquireLease, releaseLease, renewLease } from '@kopf/k8s';
import type { Clock } from './clock.js';
import type { Toggle } from './toggles.js';

/** Which Lease decides the leadership. */
export interface LeaseSettings {
  readonly namespace: string;
  readonly name: string;
  /** Whole seconds a holder keeps the lease without renewing it; default 15. */
  readonly duration?: number;
}

/** What holding a lease needs. */
export interface LeasingOptions {
  readonly client: ApiClient;
  readonly lease: LeaseSettings;
  readonly identity: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Turned off while this operator holds the lease, on otherwise. */
  readonly toggle: Toggle;
  readonly signal: AbortSignal;
}

/**
 * Competes for the lease until the signal aborts, keeping `toggle` on while the
 * lease is someone else's; releases the lease on exit if held.
 */
export async function holdLease(options: LeasingOptions): Promise<void> {
  const { client, lease, identity, clock, logger, toggle, signal } = options;
  const duration = Math.max(1, Math.ceil(lease.duration ?? 15)); // an int32 in the Lease
  const where = `${lease.namespace}/${lease.name}`;
  const request = {
    namespace: lease.namespace,
    name: lease.name,
    holder: identity,
    durationSeconds: duration,
    signal,
    now: () => new Date(clock.now()),
  };
  let renewedAt: number | undefined;
  try {
    while (!signal.aborted) {
      const held = renewedAt !== undefined;
      try {
        const written = held ? await renewLease(client, request) : await acquireLease(client, request);
        if (written && !held) logger.info(`Leading: the lease ${where} is held by ${identity}.`);
        if (!written && held) logger.warning(`The lease ${where} is lost to another operator; pausing.`);
        renewedAt = written ? clock.now() : undefined;
      } catch (error) {
        if (signal.aborted) break;
        logger.warning(`Renewing the lease ${where} has failed; will retry: ${String(error)}`);
        if (renewedAt !== undefined && clock.now() - renewedAt >= duration * 1000) {
          logger.warning(`The lease ${where} may have expired; pausing.`);
          renewedAt = undefined;
        }
      }
      toggle.turnTo(renewedAt === undefined);
      await clock.sleep((duration / 3) * 1000, signal);
    }
  } finally {
    if (renewedAt !== undefined) await release(options, where);
  }
}

async function release(options: LeasingOptions, where: string): Promise<void> {
  const { client, lease, identity, logger } = options;
  try {
    await releaseLease(client, { namespace: lease.namespace, name: lease.name, holder: identity });
    logger.info(`The lease ${where} is released.`);
  } catch (error) {
    logger.warning(`Releasing the lease ${where} has failed; it expires on its own: ${String(error)}`);
  }
}
