/**
 * The parent's handle on a fake API server running in its own process: how to
 * connect to it, and its request counters read on demand. Benchmarks use it so that
 * the server's work does not land on the measured process.
 */
import { fileURLToPath } from 'node:url';
import type { DropOptions, FakeApiServerOptions } from '@kopf/testing';
import type { WriteFaultCounts, WriteFaultPlan } from '../chaos/write-faults.js';
import { type ChildHandle, ChildProcessError, forkChild } from './child-processes.js';
import type { MemoryReading } from './memory-readings.js';

const SCRIPT = fileURLToPath(new URL('./fake-server-process.ts', import.meta.url));

/** Where the server is and how to authenticate: a `ConnectionInfo` for `@kopf/k8s`. */
export interface ServerConnection {
  readonly server: string;
  readonly caData: string;
  readonly token: string;
}

/** A fake API server in a child process. */
export class FakeServerProcess {
  readonly connection: ServerConnection;
  readonly #child: ChildHandle;

  private constructor(child: ChildHandle, connection: ServerConnection) {
    this.#child = child;
    this.connection = connection;
  }

  /** Starts a server (options as for `FakeApiServer.start()`, serializable ones only). */
  static async start(options: FakeApiServerOptions = {}): Promise<FakeServerProcess> {
    const child = await forkChild(SCRIPT, { args: [JSON.stringify(options)] });
    const { url, caData, token } = child.ready;
    if (typeof url !== 'string' || typeof caData !== 'string' || typeof token !== 'string') {
      await child.stop();
      throw new ChildProcessError(
        `Starting the fake server failed: it announced ${JSON.stringify(child.ready)}`,
      );
    }
    return new FakeServerProcess(child, { server: url, caData, token });
  }

  /** The process id (for RSS readings and profiles). */
  get pid(): number | undefined {
    return this.#child.process.pid;
  }

  /** The request counters now, e.g. `{ "patch kopfexamples.kopf.dev/status": 10 }`. */
  counters(): Promise<Record<string, number>> {
    return this.#child.request<Record<string, number>>('counters');
  }

  /** Forgets all counts. */
  async resetCounters(): Promise<void> {
    await this.#child.request('reset-counters');
  }

  /** The server process's CPU time and memory so far. */
  usage(): Promise<MemoryReading> {
    return this.#child.request<MemoryReading>('usage');
  }

  /**
   * Resolves once the counters have not moved for `quiet` seconds (or after
   * `limit` seconds anyway): whatever the actors did at start-up (discovery, the
   * first watch requests) is over.
   */
  async settled(quiet = 1, limit = 30): Promise<void> {
    let last = JSON.stringify(await this.counters());
    for (let waited = 0; waited < limit; waited += quiet) {
      await new Promise((resolve) => setTimeout(resolve, quiet * 1000));
      const now = JSON.stringify(await this.counters());
      if (now === last) return;
      last = now;
    }
  }

  /** Closes the open watch streams now (all, or those matching); resolves to how many. */
  dropWatches(options: DropOptions = {}): Promise<number> {
    return this.#child.request<number>('drop-watches', options);
  }

  /** Forgets the watch history: every resumed watch gets 410 Gone and lists again. */
  async compactHistory(): Promise<void> {
    await this.#child.request('compact-history');
  }

  /** Starts failing a share of one user's writes with 500 or 429. */
  async failWrites(plan: WriteFaultPlan): Promise<void> {
    await this.#child.request('fail-writes', plan);
  }

  /** Stops failing writes (pending injected failures too); resolves to what was done. */
  stopFaults(): Promise<WriteFaultCounts> {
    return this.#child.request<WriteFaultCounts>('stop-faults');
  }

  /** Stops the server and its process. */
  stop(): Promise<void> {
    return this.#child.stop();
  }
}

/** `after - before` per key, zero counts left out. */
export function countersDelta(
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, count] of Object.entries(after)) {
    const difference = count - (before[key] ?? 0);
    if (difference !== 0) delta[key] = difference;
  }
  return delta;
}
