/**
 * The faults of the chaos run, at their planned moments: SIGKILL the operator (and
 * start a new one), cut every watch stream (cleanly or by resetting the
 * connections), and compact the watch history before cutting, so that every
 * resuming watch gets 410 Gone and lists again. A compaction is preceded by a write
 * outside the watched namespace, so that no watcher is already at the newest
 * resourceVersion (which would survive the compaction), and waits for an operator
 * restart in progress to be over.
 */
import { type ApiClient, createObject } from '@kopf/k8s';
import type { FakeServerProcess } from '../bench/fake-servers.js';
import type { ChaosPlan, FaultStep } from './plans.js';
import type { OperatorSupervisor } from './supervising.js';

const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true } as const;

/** What the faults did. */
export interface FaultCounts {
  kills: number;
  /** Moments when the streams were cut (compactions included). */
  cuts: number;
  /** Streams cut over all those moments. */
  streamsCut: number;
  compactions: number;
}

/** Who the faults act on. */
export interface FaultTargets {
  readonly server: FakeServerProcess;
  readonly supervisor: OperatorSupervisor;
  /** The run's own client, for the write before a compaction. */
  readonly client: ApiClient;
}

/** Runs the plan's faults; `start` is the window's start (ms since the epoch). */
export async function runFaults(targets: FaultTargets, plan: ChaosPlan, start: number): Promise<FaultCounts> {
  const counts: FaultCounts = { kills: 0, cuts: 0, streamsCut: 0, compactions: 0 };
  const pending: Promise<void>[] = [];
  for (const [n, step] of plan.faults.entries()) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + step.at - Date.now())));
    pending.push(runFault(targets, step, n, counts));
  }
  await Promise.all(pending);
  return counts;
}

async function runFault(
  targets: FaultTargets,
  step: FaultStep,
  n: number,
  counts: FaultCounts,
): Promise<void> {
  const { server, supervisor, client } = targets;
  console.log(
    `  ${new Date().toISOString()} fault: ${step.kind}${step.kind === 'kill' ? '' : step.abrupt ? ' (abrupt)' : ''}`,
  );
  if (step.kind === 'kill') {
    counts.kills += 1;
    await supervisor.kill(); // one at a time: the next kill waits until this restart is ready
    return;
  }
  if (step.kind === 'compact') {
    // Not while an operator is restarting: a new one lists afresh and never meets the 410.
    await supervisor.whileRunning(async () => {
      const marker = { metadata: { name: `chaos-compaction-${n}`, namespace: 'default' } };
      await createObject(client, CONFIGMAPS, marker);
      await server.compactHistory();
      counts.compactions += 1;
      counts.cuts += 1;
      counts.streamsCut += await server.dropWatches({ abrupt: step.abrupt });
    });
    return;
  }
  counts.cuts += 1;
  counts.streamsCut += await server.dropWatches({ abrupt: step.abrupt });
}
