/**
 * Peering (Kopf's `peering.py`): operators serving the same resources see each
 * other through a `KopfPeering` (per namespace) or `ClusterKopfPeering` object of
 * the `kopf.dev` group, whose `status.<identity>` holds each operator's
 * `{priority, lifetime, lastseen}`. Each operator refreshes its own record before
 * it expires and removes it on exit; records past their lifetime are cleaned up by
 * the others. An operator pauses while a live peer has a higher priority; with a
 * peer of the same priority, all of them pause with a warning (only one operator
 * may act on objects: there are no per-object locks). When the blocking peers are
 * due to expire, the decision is taken again, so a killed operator is taken over
 * within its lifetime. The records are byte-compatible with Python Kopf's.
 */
import { hostname, userInfo } from 'node:os';
import type { Body, Logger, OperatorSettings, RawEvent, Resource } from '@kopf/core';
import { type ApiClient, patchObject } from '@kopf/k8s';
import type { Clock } from './clock.js';
import type { ProcessingResult } from './queueing.js';
import type { ResolvedSettings } from './settings.js';
import { runWatcher } from './streaming.js';
import { formatTimestamp, Timestamp } from './timestamps.js';
import type { Toggle } from './toggles.js';

/** One operator's record in a peering object. */
export interface PeerRecord {
  readonly priority: number;
  /** Seconds the record is valid after `lastseen`. */
  readonly lifetime: number;
  /** ISO-8601 with `+00:00`, as Python's `isoformat()`. */
  readonly lastseen: string;
}

/** A peer as read from a peering object. */
export interface Peer extends PeerRecord {
  readonly identity: string;
  /** When the record expires (ms since the epoch). */
  readonly deadline: number;
}

/**
 * This operator's identity among its peers: `$POD_ID` (set it from the pod name),
 * else `user@host/<UTC time>/<3 random chars>`; just `user@host` for `manual`
 * records (`kopf freeze`/`kopf resume`).
 */
export function detectIdentity(options: { readonly manual?: boolean; readonly now?: Date } = {}): string {
  const pod = process.env.POD_ID;
  if (pod) return pod;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  const base = `${user}@${hostname()}`;
  if (options.manual) return base;
  const time = (options.now ?? new Date()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const alphabet = 'abcdefhijklmnopqrstuvwxyz0123456789';
  const random = Array.from({ length: 3 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(
    '',
  );
  return `${base}/${time}/${random}`;
}

/** A fresh record of this operator (lifetime 0 means "gone": it is removed instead). */
export function peerRecord(priority: number, lifetime: number, now: number): PeerRecord {
  return { priority, lifetime, lastseen: formatTimestamp(now) };
}

/** The peers recorded in a peering object's status (unreadable records count as long dead). */
export function readPeers(body: Body, now: number): Peer[] {
  const status = (body.status ?? {}) as Record<string, unknown>;
  return Object.entries(status).flatMap(([identity, value]) => {
    if (typeof value !== 'object' || value === null) return [];
    const record = value as Record<string, unknown>;
    const priority = Number(record.priority ?? 0) || 0;
    const lifetime = Math.trunc(Number(record.lifetime ?? 60) || 0);
    const lastseen = typeof record.lastseen === 'string' ? record.lastseen : formatTimestamp(now);
    let seen = 0;
    try {
      seen = Timestamp.parse(lastseen).epochMicros / 1000;
    } catch {
      seen = 0;
    }
    return [{ identity, priority, lifetime, lastseen, deadline: seen + lifetime * 1000 }];
  });
}

/** Where a peering object is: its resource, namespace (for `KopfPeering`) and name. */
export interface PeeringTarget {
  readonly resource: Resource;
  readonly namespace: string | undefined;
  readonly name: string;
}

/**
 * Merge-patches `status.<identity>` of the peering object with a record, or with
 * `null` to remove it; resolves to whether the object exists.
 */
export async function writePeer(
  client: ApiClient,
  target: PeeringTarget,
  identity: string,
  record: PeerRecord | null,
): Promise<boolean> {
  const ref = { name: target.name, namespace: target.namespace };
  const patch = { status: { [identity]: record } };
  const patched = await patchObject(client, target.resource, ref, patch, { type: 'merge' });
  return patched !== undefined;
}

/** What a running peering needs. */
export interface PeeringOptions {
  readonly client: ApiClient;
  readonly target: PeeringTarget;
  readonly identity: string;
  readonly settings: ResolvedSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  /** On while this operator must pause for this peering object. */
  readonly conflicts: Toggle;
  readonly signal: AbortSignal;
}

/** Renews this operator's record; on exit, removes it. Runs until the signal aborts. */
export async function keepAlive(options: PeeringOptions): Promise<void> {
  const { settings, clock, signal } = options;
  try {
    while (!signal.aborted) {
      await touch(options, settings.peering.lifetime);
      const lifetime = settings.peering.lifetime;
      const jitter = 5 + Math.floor(Math.random() * 6);
      await clock.sleep(Math.max(1, Math.min(lifetime, lifetime - jitter)) * 1000, signal);
    }
  } finally {
    try {
      await touch(options, 0);
    } catch (error) {
      options.logger.error("Couldn't remove self from the peering. Ignoring.", error);
    }
  }
}

/** Writes this operator's record (removing it for a zero lifetime) and logs the keep-alive. */
async function touch(options: PeeringOptions, lifetime: number): Promise<void> {
  const { settings, target, clock } = options;
  const record = lifetime > 0 ? peerRecord(settings.peering.priority, lifetime, clock.now()) : null;
  let found = false;
  try {
    found = await writePeer(options.client, target, options.identity, record);
  } catch (error) {
    if (lifetime === 0) throw error;
    options.logger.warning(`Keep-alive in '${target.name}' has failed; will retry: ${String(error)}`);
    return;
  }
  if (!settings.peering.stealth || !found) {
    const where = target.namespace ? `in '${target.namespace}'` : 'cluster-wide';
    options.logger.debug(`Keep-alive in '${target.name}' ${where}: ${found ? 'ok' : 'not found'}.`);
  }
}

/**
 * Decides on one event of a peering object: cleans up dead peers, pauses in
 * favour of higher or equal priorities, resumes when they are gone; asks to be
 * called again when the blocking peers are due to expire.
 */
export async function processPeeringEvent(
  event: RawEvent,
  options: PeeringOptions,
): Promise<ProcessingResult | undefined> {
  const body = event.object as Body;
  const { settings, conflicts, logger, identity, clock } = options;
  if (body.metadata?.name !== options.target.name || event.type === 'DELETED') return undefined;
  const now = clock.now();
  const peers = readPeers(body, now);
  const dead = peers.filter((peer) => peer.deadline <= now);
  const live = peers.filter((peer) => peer.deadline > now && peer.identity !== identity);
  const higher = live.filter((peer) => peer.priority > settings.peering.priority);
  const same = live.filter((peer) => peer.priority === settings.peering.priority);
  if (dead.length > 0) await clean(options, dead);
  if (higher.length > 0) {
    if (!conflicts.isOn) logger.info(`Pausing operations in favour of ${describePeers(higher)}.`);
    conflicts.turnTo(true);
  } else if (same.length > 0) {
    logger.warning(`Possibly conflicting operators with the same priority: ${describePeers(same)}.`);
    if (!conflicts.isOn) logger.warning(`Pausing all operators, including self: ${describePeers(peers)}`);
    conflicts.turnTo(true);
  } else if (conflicts.isOn) {
    logger.info(
      'Resuming operations after the pause. Conflicting operators with the same priority are gone.',
    );
    conflicts.turnTo(false);
  }
  const deadlines = [...higher, ...same].map((peer) => peer.deadline - now);
  return deadlines.length > 0 ? { retryAfter: Math.max(0, Math.min(...deadlines)) } : undefined;
}

async function clean(options: PeeringOptions, dead: readonly Peer[]): Promise<void> {
  const { target } = options;
  const ref = { name: target.name, namespace: target.namespace };
  const patch = { status: Object.fromEntries(dead.map((peer) => [peer.identity, null])) };
  try {
    await patchObject(options.client, target.resource, ref, patch, { type: 'merge' });
  } catch (error) {
    options.logger.warning(`Cleaning up the dead peers has failed; will retry: ${String(error)}`);
  }
}

function describePeers(peers: readonly Peer[]): string {
  return peers.map((peer) => `${peer.identity} (priority ${peer.priority})`).join(', ');
}

/**
 * Runs the peering of one object: the keep-alives and the watch of the object,
 * until the signal aborts; then removes this operator's record.
 */
export async function runPeering(options: PeeringOptions): Promise<void> {
  const { target, settings, clock, logger, signal } = options;
  await Promise.all([
    keepAlive(options),
    runWatcher({
      client: options.client,
      resource: target.resource,
      namespace: target.namespace,
      settings: withoutConsistency(settings),
      clock,
      logger,
      signal,
      processor: (event) => processPeeringEvent(event, options),
    }),
  ]);
}

/** Peering objects are not handled, only read: no waiting for own patches. */
function withoutConsistency(settings: ResolvedSettings): ResolvedSettings {
  return { ...settings, persistence: { ...settings.persistence, consistencyTimeout: 0 } };
}

/** The peering settings after the operator's options (Kopf's CLI mapping). */
export function applyPeeringOptions(
  settings: OperatorSettings,
  options: {
    readonly peering?: string | undefined;
    readonly priority?: number | undefined;
    readonly standalone?: boolean | undefined;
    readonly clusterwide: boolean;
  },
): void {
  settings.peering.clusterwide = options.clusterwide;
  if (options.peering !== undefined) {
    settings.peering.name = options.peering;
    settings.peering.mandatory = true;
  }
  if (options.priority !== undefined) settings.peering.priority = options.priority;
  if (options.standalone !== undefined) settings.peering.standalone = options.standalone;
}
