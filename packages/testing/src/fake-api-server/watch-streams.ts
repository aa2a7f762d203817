/**
 * One open watch connection: an ordered, lossless, per-watcher buffer of NDJSON lines
 * written with backpressure (a slow reader never blocks the store or other watchers,
 * and never loses events: its lines wait in its own queue). Lines queued in one tick
 * are written in one chunk. With a persistent store, a line waits until the change it
 * tells of is durable, so no watcher sees what a crash could take back. Also the knobs
 * faults use: end, destroy, stall.
 */
import type { ServerResponse } from 'node:http';

/** What a watch is about, for fault filters. */
export interface WatchTarget {
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
}

/** How far the store's changes are durable, for streams to wait on. */
export interface Durability {
  readonly revision: () => number;
  readonly when: (revision: number) => Promise<void>;
}

/** One queued line and the resource version it must wait for. */
interface Line {
  readonly text: string;
  readonly revision: number;
}

/** How many lines one write takes at most. */
const CHUNK_LINES = 512;

/** The lines of one watch response. */
export class WatchStream {
  private readonly queue: Line[] = [];
  private waitingForDurability = false;
  private ungated = false;
  private scheduled = false;
  private waitingForDrain = false;
  private ending = false;
  private finished = false;
  private silent = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly res: ServerResponse,
    readonly target: WatchTarget,
    readonly allowBookmarks: boolean,
    private readonly durability?: Durability,
  ) {
    res.on('drain', () => {
      this.waitingForDrain = false;
      this.flush();
    });
    res.on('close', () => this.closed());
  }

  /** Whether the stream is still open (not ended, not closed by the client). */
  get open(): boolean {
    return !this.finished && !this.ending;
  }

  /** Whether the stream is stalled: open, but sending nothing. */
  get stalled(): boolean {
    return this.silent;
  }

  /** Queues one event line (a JSON text without the newline), sent once `revision` is durable. */
  send(line: string, revision = 0): void {
    if (!this.open || this.silent) return;
    this.queue.push({ text: line, revision });
    this.schedule();
  }

  /** Ends the stream cleanly once the queued lines are written. */
  end(): void {
    if (!this.open) return;
    this.ending = true;
    this.schedule();
  }

  /** Cuts the connection at once (as a network failure would). */
  destroy(): void {
    this.queue.length = 0;
    this.res.destroy();
  }

  /** Sends nothing more, keeping the connection open, until ended or destroyed. */
  stall(): void {
    this.silent = true;
    this.queue.length = 0;
  }

  /** Called once when the connection is gone (for whatever reason). */
  onClose(listener: () => void): void {
    if (this.finished) listener();
    else this.closeListeners.push(listener);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** How many queued lines are durable (at most one chunk's worth). */
  private sendable(): number {
    const durable = this.durability && !this.ungated ? this.durability.revision() : Number.POSITIVE_INFINITY;
    let count = 0;
    while (
      count < this.queue.length &&
      count < CHUNK_LINES &&
      (this.queue[count] as Line).revision <= durable
    )
      count += 1;
    return count;
  }

  private waitForDurability(revision: number): void {
    if (this.waitingForDurability || !this.durability) return;
    this.waitingForDurability = true;
    const resume = (): void => {
      this.waitingForDurability = false;
      this.flush();
    };
    this.durability.when(revision).then(resume, () => {
      this.ungated = true; // persistence failed: the writers got errors; watchers get what memory holds
      resume();
    });
  }

  private flush(): void {
    if (this.finished || this.waitingForDrain) return;
    while (this.queue.length > 0) {
      const count = this.sendable();
      if (count === 0) {
        this.waitForDurability((this.queue[0] as Line).revision);
        return;
      }
      const chunk = `${this.queue
        .splice(0, count)
        .map((line) => line.text)
        .join('\n')}\n`;
      if (!this.res.write(chunk)) {
        this.waitingForDrain = true;
        return;
      }
    }
    if (this.ending) {
      this.finished = true;
      this.res.end();
    }
  }

  private closed(): void {
    this.finished = true;
    this.queue.length = 0;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
