/**
 * Memory and start-up of the operator with many objects already present: the
 * objects are created first (already handled, so the operator resumes them with no
 * work and no PATCH), then a fresh operator process starts, lists them (500 per
 * page) and resumes each. Figures: the process's peak RSS; its heap after GC once
 * the per-object workers have gone idle and exited (the steady state of a
 * long-running operator); the time from `start()` to "listed" and to "every object
 * resumed"; the requests the start-up made (the list pages among them); and, as the
 * start-up's baseline, how long client-node takes to merely list the same objects.
 */
import { startBenchCluster } from '../../../scripts/bench/bench-clusters.js';
import type { ChildHandle } from '../../../scripts/bench/child-processes.js';
import { createExamples } from '../../../scripts/bench/creating.js';
import { exampleBody } from '../../../scripts/bench/kopf-examples.js';
import type { MemoryReading } from '../../../scripts/bench/memory-readings.js';
import { type ActorReport, forkActor } from './actors.js';

/** The outcome of one start over `objects` existing objects. */
export interface FootprintResult {
  readonly objects: number;
  /** From `operator.start()` until every watched resource was listed. */
  readonly secondsToListed: number;
  /** From `operator.start()` until every object was resumed. */
  readonly secondsToResumed: number;
  /** Requests during the start-up, by `"<verb> <resource>[/<sub>]"`. */
  readonly requests: Record<string, number>;
  /** List requests of the objects' resource: the pages of the initial listing. */
  readonly listPages: number;
  /** PATCHes of the objects during the start-up (0: resumed without writing). */
  readonly patches: number;
  /** Highest RSS of the operator process, bytes. */
  readonly peakRss: number;
  /** Just after every object was resumed. */
  readonly busy: MemoryReading;
  /** Once the per-object workers have exited. */
  readonly steady: MemoryReading;
  /** client-node listing the same objects (fresh process, same pages), when asked for. */
  readonly clientNodeList?: { readonly seconds: number; readonly pages: number; readonly items: number };
  readonly errors: string[];
}

/** The size of one object as JSON (for scale: the operator keeps more than this per object). */
export const OBJECT_JSON_BYTES: number = Buffer.byteLength(JSON.stringify(exampleBody(0, true)));

/**
 * Starts a fresh operator over `count` existing, already handled objects; with
 * `listBaseline`, then lets client-node list them too.
 */
export async function measureFootprint(count: number, listBaseline = false): Promise<FootprintResult> {
  const cluster = await startBenchCluster();
  let actor: ChildHandle | undefined;
  try {
    if (count > 0) await createExamples(cluster.client, count, { handled: true });
    await cluster.server.resetCounters();
    actor = await forkActor('kopf-ts', cluster.server.connection);
    const { startedAt, readyAt } = await actor.request<{ startedAt: number; readyAt: number }>('start');
    const resumedAt = count > 0 ? await actor.request<number>('wait-resumed', count) : readyAt;
    const busy = await actor.request<ActorReport>('report');
    const requests: Record<string, number> = {};
    for (const [key, value] of Object.entries(await cluster.server.counters())) {
      requests[key.replace('.kopf.dev', '')] = value;
    }
    // An idle worker lives on for `queueing.idleTimeout` + `exitTimeout` (announced by the actor).
    const workerLifetime = Number(actor.ready.workerLifetime ?? 7) + 1;
    if (count > 0) await new Promise((resolve) => setTimeout(resolve, workerLifetime * 1000));
    const steady = await actor.request<ActorReport>('report');
    await actor.stop();
    return {
      objects: count,
      secondsToListed: (readyAt - startedAt) / 1000,
      secondsToResumed: (resumedAt - startedAt) / 1000,
      requests,
      listPages: requests['list kopfexamples'] ?? 0,
      patches: (requests['patch kopfexamples'] ?? 0) + (requests['patch kopfexamples/status'] ?? 0),
      peakRss: steady.memory.peakRss,
      busy: busy.memory,
      steady: steady.memory,
      ...(listBaseline ? { clientNodeList: await listWithClientNode(cluster.server.connection) } : {}),
      errors: steady.errors,
    };
  } finally {
    await actor?.stop();
    await cluster.stop();
  }
}

async function listWithClientNode(
  connection: Parameters<typeof forkActor>[1],
): Promise<NonNullable<FootprintResult['clientNodeList']>> {
  const lister = await forkActor('client-node', connection);
  try {
    return await lister.request('list');
  } finally {
    await lister.stop();
  }
}
