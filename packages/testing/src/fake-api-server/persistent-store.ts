/**
 * `PersistentStore`: the in-memory store, made to survive restarts and crashes. At
 * open it restores the last snapshot and replays the write-ahead log after it (so
 * the objects, the resourceVersion counter and the watch history come back); then
 * every change is appended to the log as it commits, and `whenDurable()` tells
 * writers and watchers when it is on disk. A lock file keeps a second server off the
 * same directory (a stale one, from a killed process, is taken over).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StoreChange } from './history.js';
import type { JsonObject } from './objects.js';
import { type ChangeListener, MemoryStore, type ObjectStore, type SavedState } from './store.js';
import { PersistenceError, WriteAheadLog } from './write-ahead-log.js';

const FORMAT = 'kopf-fake-api-server/1';
const LOCK = 'lock';

type LoggedChange = Omit<StoreChange, 'previous'>;

function encodeChange(change: StoreChange): string {
  return `${JSON.stringify({ t: change.type, s: change.storage, k: change.key, v: change.resourceVersion, o: change.object })}\n`;
}

function decodeLine(line: string, path: string): LoggedChange | { compact: number } {
  const entry = JSON.parse(line) as {
    t?: string;
    s: string;
    k: string;
    v: number;
    o: JsonObject;
    compact?: number;
  };
  if (entry.compact !== undefined) return { compact: entry.compact };
  if (entry.t !== 'ADDED' && entry.t !== 'MODIFIED' && entry.t !== 'DELETED')
    throw new PersistenceError(
      `Reading ${path} failed: a line has no change type; the log is not from this server`,
    );
  return { type: entry.t, storage: entry.s, key: entry.k, resourceVersion: entry.v, object: entry.o };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories this process's stores hold (the lock file names only the process). */
const held = new Set<string>();

/** Takes the directory's lock, or explains who holds it. */
async function lock(directory: string): Promise<void> {
  const path = join(directory, LOCK);
  if (held.has(resolve(directory))) {
    throw new PersistenceError(
      `Opening ${directory} failed: another fake API server in this process persists to it; stop that one or pass another directory`,
    );
  }
  const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  if (holder && holder !== process.pid && processAlive(holder)) {
    throw new PersistenceError(
      `Opening ${directory} failed: another fake API server (pid ${holder}) persists to it; stop that one or pass another directory`,
    );
  }
  await writeFile(path, String(process.pid));
  held.add(resolve(directory));
}

/** An `ObjectStore` kept in memory and persisted to a directory. */
export class PersistentStore implements ObjectStore {
  private constructor(
    private readonly memory: MemoryStore,
    private log: WriteAheadLog | undefined,
    private readonly directory: string,
  ) {}

  /** Opens (or creates) the store of a directory; `snapshotThreshold` is the log size (bytes) that triggers a snapshot. */
  static async open(
    directory: string,
    historySize: number,
    snapshotThreshold?: number,
  ): Promise<PersistentStore> {
    try {
      await mkdir(directory, { recursive: true });
    } catch (error) {
      throw new PersistenceError(
        `Creating ${directory} failed: ${(error as Error).message}; pass a writable directory`,
        {
          cause: error,
        },
      );
    }
    await lock(directory);
    const files = await WriteAheadLog.read(directory);
    const snapshotPath = join(directory, 'snapshot.json');
    let saved: SavedState | undefined;
    if (files.snapshot !== undefined) {
      const parsed = JSON.parse(files.snapshot) as SavedState & { format?: string };
      if (parsed.format !== FORMAT)
        throw new PersistenceError(
          `Reading ${snapshotPath} failed: it is not a ${FORMAT} snapshot; pass another directory`,
        );
      saved = parsed;
    }
    const logPath = join(directory, 'log.ndjson');
    const memory = MemoryStore.restore(
      historySize,
      saved,
      files.lines.map((line) => decodeLine(line, logPath)),
    );
    const store = new PersistentStore(memory, undefined, directory);
    store.log = await WriteAheadLog.open(
      directory,
      memory.revision,
      files.logBytes,
      files.snapshot ? Buffer.byteLength(files.snapshot) : 0,
      () => ({ revision: memory.revision, text: JSON.stringify({ format: FORMAT, ...memory.save() }) }),
      ...(snapshotThreshold !== undefined ? [snapshotThreshold] : []),
    );
    memory.subscribe('*', (change) => store.log?.append(encodeChange(change), change.resourceVersion));
    return store;
  }

  get revision(): number {
    return this.memory.revision;
  }

  get compactedRevision(): number {
    return this.memory.compactedRevision;
  }

  get durableRevision(): number {
    return this.log?.durableRevision ?? this.memory.revision;
  }

  get(storage: string, key: string): JsonObject | undefined {
    return this.memory.get(storage, key);
  }

  list(storage: string, namespace?: string): JsonObject[] {
    return this.memory.list(storage, namespace);
  }

  listAt(storage: string, namespace: string | undefined, revision: number): JsonObject[] | undefined {
    return this.memory.listAt(storage, namespace, revision);
  }

  changesSince(storage: string, revision: number): StoreChange[] | undefined {
    return this.memory.changesSince(storage, revision);
  }

  create(storage: string, key: string, object: JsonObject): JsonObject {
    return this.memory.create(storage, key, object);
  }

  update(storage: string, key: string, object: JsonObject): JsonObject {
    return this.memory.update(storage, key, object);
  }

  remove(storage: string, key: string, last: JsonObject): JsonObject {
    return this.memory.remove(storage, key, last);
  }

  subscribe(storage: string, listener: ChangeListener): () => void {
    return this.memory.subscribe(storage, listener);
  }

  compact(): void {
    this.memory.compact();
    this.log?.append(`${JSON.stringify({ compact: this.memory.revision })}\n`, this.memory.revision);
  }

  whenDurable(revision: number = this.memory.revision): Promise<void> {
    return this.log ? this.log.whenDurable(revision) : Promise.resolve();
  }

  /** Writes what is queued, closes the log and releases the directory. */
  async close(): Promise<void> {
    await this.log?.close();
    await rm(join(this.directory, LOCK), { force: true });
    held.delete(resolve(this.directory));
  }
}
