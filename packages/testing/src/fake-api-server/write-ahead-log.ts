/**
 * The durable files of a persistent store, in one directory: `log.ndjson`, an
 * append-only write-ahead log of changes, and `snapshot.json`, the whole store at one
 * revision. Appends are group-committed: every line queued while a write and its
 * `fdatasync` run goes out in the next one, and `whenDurable(revision)` resolves once
 * the lines up to that revision are on disk — answers and watch events wait for it,
 * so nothing a client has seen is lost by a crash.
 *
 * When the log outgrows its threshold, the next round writes a snapshot instead
 * (temporary file, `fsync`, rename, directory `fsync`) and empties the log; a crash at
 * any point leaves either the old snapshot with the whole log, or the new snapshot
 * (and log lines it already covers, which replay skips). A torn last line — a write
 * cut by the crash, never acknowledged — is ignored when reading.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { type FileHandle, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reading or writing the persistence directory failed. */
export class PersistenceError extends Error {
  override name = 'PersistenceError';
}

/** What the log needs to write a snapshot: the store's content as text, and its revision. */
export type SnapshotSource = () => { readonly revision: number; readonly text: string };

const LOG = 'log.ndjson';
const SNAPSHOT = 'snapshot.json';

/** The smallest log that triggers a snapshot; larger stores wait for twice their snapshot's size. */
const MIN_SNAPSHOT_THRESHOLD = 8 * 1024 * 1024;

interface Waiter {
  readonly revision: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** The append-only log and snapshots of one directory. */
export class WriteAheadLog {
  private pending: string[] = [];
  private pendingRevision = 0;
  private durable: number;
  private pumping: Promise<void> | undefined;
  private waiters: Waiter[] = [];
  private failure: PersistenceError | undefined;
  private logBytes: number;
  private threshold: number;

  private constructor(
    private readonly directory: string,
    private readonly handle: FileHandle,
    private readonly snapshotSource: SnapshotSource,
    revision: number,
    logBytes: number,
    snapshotBytes: number,
    private readonly minimumThreshold: number,
  ) {
    this.durable = revision;
    this.logBytes = logBytes;
    this.threshold = Math.max(minimumThreshold, 2 * snapshotBytes);
  }

  /** Reads what a directory holds: the snapshot's text and the log's complete lines. */
  static async read(
    directory: string,
  ): Promise<{ snapshot: string | undefined; lines: string[]; logBytes: number }> {
    const snapshot = await readFile(join(directory, SNAPSHOT), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw new PersistenceError(`Reading ${join(directory, SNAPSHOT)} failed: ${error.message}`, {
          cause: error,
        });
      },
    );
    const log = await readFile(join(directory, LOG), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw new PersistenceError(`Reading ${join(directory, LOG)} failed: ${error.message}`, {
        cause: error,
      });
    });
    const complete = log.endsWith('\n') ? log : log.slice(0, log.lastIndexOf('\n') + 1);
    const lines = complete.split('\n').filter((line) => line !== '');
    return { snapshot, lines, logBytes: Buffer.byteLength(complete) };
  }

  /**
   * Opens the log for appending (a torn tail is cut off first); `revision` is what the files
   * hold. A snapshot replaces the log once it outgrows `minimumThreshold` bytes (default 8 MiB)
   * and twice the last snapshot.
   */
  static async open(
    directory: string,
    revision: number,
    logBytes: number,
    snapshotBytes: number,
    source: SnapshotSource,
    minimumThreshold: number = MIN_SNAPSHOT_THRESHOLD,
  ): Promise<WriteAheadLog> {
    const path = join(directory, LOG);
    try {
      const handle = await open(path, 'a+');
      await handle.truncate(logBytes);
      return new WriteAheadLog(
        directory,
        handle,
        source,
        revision,
        logBytes,
        snapshotBytes,
        minimumThreshold,
      );
    } catch (error) {
      throw new PersistenceError(`Opening ${path} for appending failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Changes up to this revision are on disk. */
  get durableRevision(): number {
    return this.durable;
  }

  /** Queues one line (with its newline) that makes `revision` durable once written. */
  append(line: string, revision: number): void {
    if (this.failure) return;
    this.pending.push(line);
    this.pendingRevision = Math.max(this.pendingRevision, revision);
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  /** Resolves when everything up to `revision` is durable; rejects if persisting failed. */
  whenDurable(revision: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (revision <= this.durable) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ revision, resolve, reject }));
  }

  /** Writes what is queued, then closes the file. */
  async close(): Promise<void> {
    await this.pumping;
    await this.handle.close();
  }

  private async pump(): Promise<void> {
    await Promise.resolve();
    try {
      while (this.pending.length > 0) {
        if (this.logBytes > this.threshold) await this.snapshot();
        else await this.flush();
      }
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private async flush(): Promise<void> {
    const text = this.pending.join('');
    const revision = this.pendingRevision;
    this.pending = [];
    const bytes = Buffer.from(text, 'utf8');
    await this.handle.write(bytes);
    await this.handle.datasync();
    this.logBytes += bytes.length;
    this.markDurable(revision);
  }

  /** Writes the whole store (which includes every queued change) as the new snapshot, then empties the log. */
  private async snapshot(): Promise<void> {
    const { revision, text } = this.snapshotSource();
    this.pending = [];
    const path = join(this.directory, SNAPSHOT);
    const temporary = `${path}.tmp`;
    await writeFile(temporary, text, 'utf8');
    const file = await open(temporary, 'r+');
    await file.sync();
    await file.close();
    await rename(temporary, path);
    syncDirectory(this.directory);
    await this.handle.truncate(0);
    await this.handle.datasync();
    this.logBytes = 0;
    this.threshold = Math.max(this.minimumThreshold, 2 * Buffer.byteLength(text));
    this.markDurable(revision);
  }

  private markDurable(revision: number): void {
    this.durable = Math.max(this.durable, revision);
    const ready = this.waiters.filter((waiter) => waiter.revision <= this.durable);
    this.waiters = this.waiters.filter((waiter) => waiter.revision > this.durable);
    for (const waiter of ready) waiter.resolve();
  }

  private fail(error: Error): void {
    this.failure = new PersistenceError(
      `Persisting changes to ${this.directory} failed: ${error.message}; the server keeps serving from memory, ` +
        'but further writes are not durable: free the disk or fix the permissions, then restart it',
      { cause: error },
    );
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
  }
}

/** `fsync` of a directory, so a rename in it survives a crash. */
function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
