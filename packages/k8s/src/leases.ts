/**
 * Leases (coordination.k8s.io/v1) for leader election: acquire, renew and release
 * with optimistic concurrency (every write carries the resourceVersion it read, so
 * two contenders cannot both win) and MicroTime timestamps with six fractional
 * digits. A lost race is an `undefined` result, not an error.
 */
import type { KubernetesObject } from '@kopf/core';
import type { ApiClient } from './client.js';
import { ApiConflictError } from './errors.js';
import { microTime } from './events.js';
import { createObject, getObject, replaceObject } from './objects.js';
import type { ResourceRef } from './paths.js';

/** A Lease object. */
export interface Lease extends KubernetesObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** Which lease, who is asking, and for how long. */
export interface LeaseOptions {
  readonly namespace: string;
  readonly name: string;
  /** This contender's identity, e.g. the pod name. */
  readonly holder: string;
  /** How long a holder keeps the lease without renewing it; default 15 s. */
  readonly durationSeconds?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** The clock; default the system's. */
  readonly now?: (() => Date) | undefined;
}

const LEASES: ResourceRef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  namespaced: true,
  kind: 'Lease',
};

/** Whether a lease is free to take: nobody holds it, or the holder stopped renewing it. */
export function isLeaseExpired(lease: Lease, now: Date): boolean {
  const spec = lease.spec ?? {};
  if (!spec.holderIdentity) return true;
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
  if (Number.isNaN(renewed)) return true;
  return renewed + (spec.leaseDurationSeconds ?? 0) * 1000 < now.getTime();
}

/**
 * Takes the lease if it is free or expired (or renews it if already ours).
 * Resolves with the lease as written, or `undefined` if someone else holds it or
 * won the race.
 */
export async function acquireLease(client: ApiClient, options: LeaseOptions): Promise<Lease | undefined> {
  const now = options.now?.() ?? new Date();
  const current = await getObject<Lease>(client, LEASES, options, { signal: options.signal });
  if (!current) return createLease(client, options, now);
  if (current.spec?.holderIdentity === options.holder)
    return writeLease(client, current, options, now, false);
  if (!isLeaseExpired(current, now)) return undefined;
  return writeLease(client, current, options, now, true);
}

/**
 * Renews a lease this holder has. Resolves with the renewed lease, or `undefined`
 * if it is not ours any more (taken over after expiring, or released).
 */
export async function renewLease(client: ApiClient, options: LeaseOptions): Promise<Lease | undefined> {
  const now = options.now?.() ?? new Date();
  const current = await getObject<Lease>(client, LEASES, options, { signal: options.signal });
  if (!current || current.spec?.holderIdentity !== options.holder) return undefined;
  return writeLease(client, current, options, now, false);
}

/** Gives the lease up if this holder has it, so a successor need not wait; `true` if released. */
export async function releaseLease(client: ApiClient, options: LeaseOptions): Promise<boolean> {
  const current = await getObject<Lease>(client, LEASES, options, { signal: options.signal });
  if (!current || current.spec?.holderIdentity !== options.holder) return false;
  const { holderIdentity: _, ...spec } = current.spec;
  try {
    await replaceObject(client, LEASES, { ...current, spec }, { signal: options.signal });
    return true;
  } catch (error) {
    if (error instanceof ApiConflictError) return false;
    throw error;
  }
}

async function createLease(client: ApiClient, options: LeaseOptions, now: Date): Promise<Lease | undefined> {
  const lease: Lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      holderIdentity: options.holder,
      leaseDurationSeconds: options.durationSeconds ?? 15,
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    },
  };
  try {
    return await createObject(client, LEASES, lease, { signal: options.signal });
  } catch (error) {
    if (error instanceof ApiConflictError) return undefined; // another contender created it first
    throw error;
  }
}

async function writeLease(
  client: ApiClient,
  current: Lease,
  options: LeaseOptions,
  now: Date,
  takeover: boolean,
): Promise<Lease | undefined> {
  const spec = current.spec ?? {};
  const transitions = spec.leaseTransitions ?? 0;
  const updated: Lease = {
    ...current,
    spec: {
      ...spec,
      holderIdentity: options.holder,
      leaseDurationSeconds: options.durationSeconds ?? spec.leaseDurationSeconds ?? 15,
      acquireTime: takeover ? microTime(now) : (spec.acquireTime ?? microTime(now)),
      renewTime: microTime(now),
      leaseTransitions: takeover && spec.holderIdentity ? transitions + 1 : transitions,
    },
  };
  try {
    return await replaceObject(client, LEASES, updated, { signal: options.signal });
  } catch (error) {
    if (error instanceof ApiConflictError) return undefined; // someone wrote it since we read it
    throw error;
  }
}
