/**
 * Throughput and latency of an actor (the operator, or the baseline loop):
 *
 * - burst: N objects created at once (16 POSTs in flight); the time until every one
 *   carries its result, seen by the benchmark's own watch (for the operator, its
 *   diff-base too: it is written after the result, and the object is done only then);
 *   per object, the latency from its creation to its handler's start and to its stored
 *   result; and the API calls the actor made, by verb, from the fake server's counters
 *   once the server is quiet;
 * - idle: objects created one at a time on an idle actor, each awaited before the
 *   next, for the same two latencies without queueing; and then updated one at a
 *   time (`spec.round`), from the update to the update handler's start and to its
 *   result (for the operator, the diff-base holding the new spec) being stored.
 *
 * Each run gets a fresh server and a fresh actor process.
 */
import { patchObject } from '@kopf/k8s';
import { type BenchCluster, startBenchCluster } from '../../../scripts/bench/bench-clusters.js';
import type { ChildHandle } from '../../../scripts/bench/child-processes.js';
import { createExamples } from '../../../scripts/bench/creating.js';
import { countersDelta } from '../../../scripts/bench/fake-servers.js';
import { DIFF_BASE_ANNOTATION, exampleAddress, KOPF_EXAMPLES } from '../../../scripts/bench/kopf-examples.js';
import {
  epochMs,
  type LatencySummary,
  latenciesBetween,
  summarize,
} from '../../../scripts/bench/latencies.js';
import { type DonePredicate, ResultObserver, resultStored } from '../../../scripts/bench/observing.js';
import { type ActorName, type ActorReport, forkActor } from './actors.js';

/** A run fails when no object gets its result for this long. */
const STALL_SECONDS = 60;

/** When an object counts as created: the baseline's result; the operator's, and then its diff-base. */
function created(name: ActorName): DonePredicate {
  return resultStored({
    field: 'create_fn',
    ...(name === 'kopf-ts' ? { annotation: DIFF_BASE_ANNOTATION } : {}),
  });
}

/** When an object counts as updated to `round`: as {@link created}, with the new value. */
function updated(name: ActorName, round: number): DonePredicate {
  return resultStored({
    field: 'update_fn',
    accepts: (result) => (result as { round?: unknown }).round === round,
    ...(name === 'kopf-ts' ? { annotation: DIFF_BASE_ANNOTATION, containing: `"round":${round}` } : {}),
  });
}

/** The outcome of one burst. */
export interface BurstResult {
  readonly actor: ActorName;
  readonly objects: number;
  /** From the first POST to the last result seen. */
  readonly seconds: number;
  readonly objectsPerSecond: number;
  readonly toHandlerStart: LatencySummary;
  readonly toResult: LatencySummary;
  /** API calls of the actor per handled object, by `"<verb> <resource>[/<sub>]"`. */
  readonly callsPerObject: Record<string, number>;
  /** The actor process's peak RSS over the run, bytes. */
  readonly peakRss: number;
  /** The actor's heap after GC right after the burst (per-object workers still alive), bytes. */
  readonly heapAfterBurst: number;
  /** CPU seconds spent during the burst by the actor and by the fake server. */
  readonly cpuSeconds: { readonly actor: number; readonly server: number };
  /** The actor's first errors (failed requests), and how many in all. */
  readonly errors: string[];
  readonly errorCount: number;
}

/** The outcome of creating (or updating) objects one at a time. */
export interface IdleResult {
  readonly actor: ActorName;
  readonly cause: 'creation' | 'update';
  readonly objects: number;
  readonly toHandlerStart: LatencySummary;
  readonly toResult: LatencySummary;
}

/** The benchmark was unable to measure: the actor stopped making progress. */
export class BenchmarkStalledError extends Error {
  override name = 'BenchmarkStalledError';
}

interface Setup {
  readonly cluster: BenchCluster;
  readonly actor: ChildHandle;
  readonly observer: ResultObserver;
}

async function withSetup<T>(name: ActorName, body: (setup: Setup) => Promise<T>): Promise<T> {
  const cluster = await startBenchCluster();
  let actor: ChildHandle | undefined;
  let observer: ResultObserver | undefined;
  try {
    actor = await forkActor(name, cluster.server.connection);
    await actor.request('start');
    observer = new ResultObserver(cluster.client, created(name));
    await observer.synced();
    return await body({ cluster, actor, observer });
  } finally {
    await observer?.stop();
    await actor?.stop();
    await cluster.stop();
  }
}

/** Waits until `count` results are seen; fails if none arrives for {@link STALL_SECONDS}. */
async function awaitResults(
  observer: ResultObserver,
  count: number,
  name: ActorName,
  actor: ChildHandle,
): Promise<void> {
  let seen = observer.stored.size;
  let progressAt = Date.now();
  const done = observer.whenCount(count).then(() => true);
  while (!(await Promise.race([done, new Promise<false>((r) => setTimeout(() => r(false), 500))]))) {
    if (observer.stored.size !== seen) {
      seen = observer.stored.size;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > STALL_SECONDS * 1000) {
      const { errors } = await actor.request<ActorReport>('report');
      throw new BenchmarkStalledError(
        `Waiting for ${name}'s results stalled at ${seen} of ${count} objects (nothing new for ` +
          `${STALL_SECONDS} s); its errors (${errors.length}): ${errors.slice(0, 5).join('; ') || 'none'}`,
      );
    }
  }
}

/** Creates `count` objects at once and measures how the actor copes. */
export function measureBurst(name: ActorName, count: number): Promise<BurstResult> {
  return withSetup(name, async ({ cluster, actor, observer }) => {
    await cluster.server.settled();
    await cluster.server.resetCounters();
    const before = {
      actor: await actor.request<ActorReport>('report'),
      server: await cluster.server.usage(),
    };
    const started = epochMs();
    const [created] = await Promise.all([
      createExamples(cluster.client, count),
      awaitResults(observer, count, name, actor),
    ]);
    const seconds = (epochMs() - started) / 1000;
    await cluster.server.settled(); // trailing writes (batched Events) belong to the burst
    const counters = await cluster.server.counters();
    const report = await actor.request<ActorReport>('report');
    const server = await cluster.server.usage();
    const starts = new Map(report.handlerStarts);
    return {
      actor: name,
      objects: count,
      seconds,
      objectsPerSecond: count / seconds,
      toHandlerStart: summarize(latenciesBetween(created, starts)),
      toResult: summarize(latenciesBetween(created, observer.stored)),
      callsPerObject: actorCallsPerObject(counters, count),
      peakRss: report.memory.peakRss,
      heapAfterBurst: report.memory.heapUsedAfterGc ?? Number.NaN,
      cpuSeconds: {
        actor: report.memory.cpuSeconds - before.actor.memory.cpuSeconds,
        server: server.cpuSeconds - before.server.cpuSeconds,
      },
      errors: report.errors,
      errorCount: report.errorCount ?? report.errors.length,
    };
  });
}

/**
 * Creates `count` objects one by one, each once the previous one is done; then updates
 * them one by one the same way.
 */
export function measureIdle(name: ActorName, count: number): Promise<IdleResult[]> {
  return withSetup(name, async ({ cluster, actor, observer }) => {
    const creations = new Map<number, number>();
    for (let index = 0; index < count; index++) {
      const one = await createExamples(cluster.client, 1, { from: index, inFlight: 1 });
      for (const [key, time] of one) creations.set(key, time);
      await awaitResults(observer, index + 1, name, actor);
    }
    const updates = new ResultObserver(cluster.client, updated(name, 1));
    const changes = new Map<number, number>();
    try {
      await updates.synced();
      for (let index = 0; index < count; index++) {
        changes.set(index, epochMs());
        await patchObject(
          cluster.client,
          KOPF_EXAMPLES,
          exampleAddress(index),
          { spec: { round: 1 } },
          { type: 'merge' },
        );
        await awaitResults(updates, index + 1, name, actor);
      }
    } finally {
      await updates.stop();
    }
    const report = await actor.request<ActorReport>('report');
    const latencies = (
      cause: IdleResult['cause'],
      from: Map<number, number>,
      starts: [number, number][],
      to: Map<number, number>,
    ): IdleResult => ({
      actor: name,
      cause,
      objects: count,
      toHandlerStart: summarize(latenciesBetween(from, new Map(starts))),
      toResult: summarize(latenciesBetween(from, to)),
    });
    return [
      latencies('creation', creations, report.handlerStarts, observer.stored),
      latencies('update', changes, report.updateStarts, updates.stored),
    ];
  });
}

/**
 * The actor's calls per object: the server's counts during the burst, without the
 * benchmark's own POSTs (one per object), keyed without the group for brevity.
 */
function actorCallsPerObject(counters: Record<string, number>, count: number): Record<string, number> {
  const own = { [`create ${KOPF_EXAMPLES.plural}.${KOPF_EXAMPLES.group}`]: count };
  const calls: Record<string, number> = {};
  for (const [key, value] of Object.entries(countersDelta(counters, own))) {
    calls[key.replace(`.${KOPF_EXAMPLES.group}`, '')] = value / count;
  }
  return calls;
}
