/**
 * Walking a folder for the repository's checks: every file below it whose name is
 * accepted, in a stable (sorted) order, leaving out `node_modules` and `dist`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The files under `dir` (none if it is missing) whose names `accept` takes, sorted by path. */
export function listFiles(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      if (entry === 'node_modules' || entry === 'dist') return [];
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return listFiles(path, accept);
      return accept(entry) ? [path] : [];
    });
}
