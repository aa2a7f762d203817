/**
 * Watching the operator's files for `kopf dev`. The directories are watched, not
 * the files: editors often save by writing a new file and renaming it over the old
 * one, which ends a watch on the file itself. Events are filtered by name, checked
 * against the file's size and modification time (so a touch of a neighbour or a
 * repeated event does not count), and debounced: one call per burst of saves.
 * `node:fs` `watch` is enough for a few known files; no watcher library is needed.
 */
import { type FSWatcher, type Stats, statSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';

/** Calls back once per burst of changes to any of the watched files. */
export class FileWatcher {
  readonly #onChange: (changed: readonly string[]) => void;
  readonly #debounceMs: number;
  readonly #directories = new Map<string, FSWatcher>();
  readonly #signatures = new Map<string, string>();
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /**
   * @param onChange gets the changed paths of a burst
   * @param debounceMs how long a burst may pause between saves
   */
  constructor(onChange: (changed: readonly string[]) => void, debounceMs = 150) {
    this.#onChange = onChange;
    this.#debounceMs = debounceMs;
  }

  /** The files watched now. */
  get files(): readonly string[] {
    return [...this.#signatures.keys()];
  }

  /** Watches these files (absolute paths) in addition to those already watched. */
  add(paths: Iterable<string>): void {
    if (this.#closed) return;
    for (const path of paths) {
      if (this.#signatures.has(path)) continue;
      this.#signatures.set(path, signature(path));
      this.#watchDirectory(dirname(path));
    }
  }

  /** Stops watching everything. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#directories.values()) watcher.close();
    this.#directories.clear();
  }

  #watchDirectory(directory: string): void {
    if (this.#directories.has(directory)) return;
    try {
      const watcher = watch(directory, { persistent: false }, (_event, name) => {
        if (name) this.#noticed(join(directory, name.toString()));
      });
      watcher.on('error', () => this.#directories.delete(directory));
      this.#directories.set(directory, watcher);
    } catch {
      // The directory is gone; its files count as changed when it comes back and is watched again.
    }
  }

  #noticed(path: string): void {
    const known = this.#signatures.get(path);
    if (known === undefined) return;
    const now = signature(path);
    if (now === known) return;
    this.#signatures.set(path, now);
    this.#pending.add(path);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), this.#debounceMs);
  }

  #flush(): void {
    if (this.#closed || this.#pending.size === 0) return;
    const changed = [...this.#pending];
    this.#pending.clear();
    this.#onChange(changed);
  }
}

/** Size and modification time, or `missing`: what tells a real change from a spurious event. */
function signature(path: string): string {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return 'missing';
  }
  return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
}
