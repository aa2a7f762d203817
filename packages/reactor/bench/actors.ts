/**
 * The two actors of the operator benchmarks, each run in its own process against a
 * fake API server in another: the kopf-ts operator (`operator-process.ts`) and the
 * baseline, a hand-written client-node watch + patch loop
 * (`scripts/bench/client-node-loop.ts`). Both take the connection as their one
 * argument and answer `start`, `report` and `stop`.
 */
import { fileURLToPath } from 'node:url';
import { type ChildHandle, forkChild } from '../../../scripts/bench/child-processes.js';
import type { ServerConnection } from '../../../scripts/bench/fake-servers.js';
import type { MemoryReading } from '../../../scripts/bench/memory-readings.js';

/** Which actor. */
export type ActorName = 'kopf-ts' | 'client-node';

const SCRIPTS: Record<ActorName, string> = {
  'kopf-ts': fileURLToPath(new URL('./operator-process.ts', import.meta.url)),
  'client-node': fileURLToPath(new URL('../../../scripts/bench/client-node-loop.ts', import.meta.url)),
};

/** What an actor reports after its work. */
export interface ActorReport {
  /** [index, epochMs] of each object's handler start. */
  readonly handlerStarts: [number, number][];
  /** [index, epochMs] of each object's first update handler start. */
  readonly updateStarts: [number, number][];
  /** Objects resumed (the operator only). */
  readonly resumed?: number;
  /** The first errors (failed requests, retried or not). */
  readonly errors: string[];
  /** How many errors there were in all, when more than `errors` lists. */
  readonly errorCount?: number;
  readonly memory: MemoryReading;
}

/**
 * Forks an actor connected to `connection`. With `$KOPF_BENCH_PROFILE` set to a
 * folder, the actor writes a CPU profile there (`node --cpu-prof`) when it stops.
 */
export function forkActor(name: ActorName, connection: ServerConnection): Promise<ChildHandle> {
  const profileDir = process.env.KOPF_BENCH_PROFILE;
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return forkChild(SCRIPTS[name], { args: [JSON.stringify(connection)], execArgv });
}
