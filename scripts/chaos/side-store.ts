/**
 * The side store: what the chaos operator's handlers did, written by each operator
 * process to a file of its own, one JSON record per line, each with a synchronous
 * append (so a record written before a SIGKILL is on disk, and nothing but the very
 * last line can be torn). The verification reads every file after the run.
 */
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The handlers of the chaos operator. */
export type ChaosHandlerId = 'create_first' | 'create_second' | 'update_fn' | 'delete_fn';

/** How one handler attempt ended. */
export type RunOutcome = 'success' | 'temporary-failure';

/** One handler attempt that ran to its end. */
export interface HandlerRun {
  readonly kind: 'run';
  /** When the handler ended (ms since the epoch). */
  readonly at: number;
  readonly pid: number;
  readonly handler: ChaosHandlerId;
  /** The object's name (names are never reused within a run). */
  readonly object: string;
  readonly generation: number | undefined;
  /** The `spec.value` the handler saw. */
  readonly value: number | undefined;
  /** The `retry` kwarg: 0 on the first attempt. */
  readonly retry: number;
  readonly outcome: RunOutcome;
  /**
   * The API server already held this handler's success for this object state when
   * the handler started (read fresh from the server, not from the operator's view):
   * the attempt repeats persisted work.
   */
  readonly persistedBefore: boolean;
}

/** An error the operator reported outside of its handlers. */
export interface OperatorErrorRecord {
  readonly kind: 'operator-error';
  readonly at: number;
  readonly pid: number;
  readonly message: string;
}

/**
 * A watch request the operator repeated, read from its debug log line (the engine
 * tells nothing else outside its metrics, which a kill would lose): `expired` is a
 * 410 Gone after a compaction, `closed` a cut stream.
 */
export interface WatchRestartRecord {
  readonly kind: 'watch-restart';
  readonly at: number;
  readonly pid: number;
  readonly reason: string;
}

/** A line of the side store. */
export type SideRecord = HandlerRun | OperatorErrorRecord | WatchRestartRecord;

const KINDS: ReadonlySet<string> = new Set(['run', 'operator-error', 'watch-restart']);

/** What was read back: the records, and how many lines were torn (by a kill mid-write). */
export interface SideStoreContents {
  readonly records: SideRecord[];
  readonly torn: number;
}

/** One process's append-only file. */
export class SideStore {
  readonly #fd: number;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** Opens (creates) `path` for appending. */
  static open(path: string): SideStore {
    return new SideStore(openSync(path, 'a'));
  }

  /** Appends one record synchronously: it is in the file when this returns. */
  append(record: SideRecord): void {
    writeSync(this.#fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Parses one file's text; a line that is not a whole record counts as torn. */
export function parseSideStore(text: string): SideStoreContents {
  const records: SideRecord[] = [];
  let torn = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as SideRecord;
      if (KINDS.has(record.kind)) records.push(record);
      else torn += 1;
    } catch {
      torn += 1;
    }
  }
  return { records, torn };
}

/** Reads every `*.ndjson` file of `dir`, records in the order they were written (by time). */
export function readSideStores(dir: string): SideStoreContents {
  const records: SideRecord[] = [];
  let torn = 0;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ndjson'))) {
    const contents = parseSideStore(readFileSync(join(dir, file), 'utf8'));
    records.push(...contents.records);
    torn += contents.torn;
  }
  records.sort((a, b) => a.at - b.at);
  return { records, torn };
}
