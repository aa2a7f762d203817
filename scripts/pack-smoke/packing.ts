/**
 * Packing the publishable packages as `npm publish` would: `npm pack` in each
 * package directory, tarballs into one folder. Shared by the package checks
 * (publint, attw) and the pack smoke test, so both judge the very files a user
 * would download.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One packed package: its name, its directory in the repository, and its tarball. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
  readonly tarball: string;
  /** The paths inside the tarball (relative to `package/`). */
  readonly files: readonly string[];
}

/** `npm pack` failed for a package; the message names the package and the fix. */
export class PackingError extends Error {
  override name = 'PackingError';
}

/** The non-private packages under `packages/`, as directories, sorted by name. */
export function publishableDirectories(root: string): string[] {
  const base = join(root, 'packages');
  return readdirSync(base)
    .sort()
    .map((entry) => join(base, entry))
    .filter((directory) => {
      try {
        return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')).private !== true;
      } catch {
        return false;
      }
    });
}

/** What `npm pack --json` prints for one package (the fields used here). */
interface NpmPackEntry {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** Packs one package directory into `destination`. */
export async function packPackage(directory: string, destination: string): Promise<PackedPackage> {
  let stdout: string;
  try {
    ({ stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
      cwd: directory,
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error) {
    throw new PackingError(
      `Packing ${directory} failed: npm pack exited with an error (${String(error)}); run \`npm pack --dry-run\` there to see why.`,
      { cause: error },
    );
  }
  const [entry] = JSON.parse(stdout) as NpmPackEntry[];
  if (!entry) throw new PackingError(`Packing ${directory} failed: npm pack printed no package.`);
  return {
    name: entry.name,
    version: entry.version,
    directory,
    tarball: join(destination, entry.filename),
    files: entry.files.map((file) => file.path),
  };
}

/** Packs every publishable package of the repository into `destination`. */
export async function packAll(root: string, destination: string): Promise<PackedPackage[]> {
  mkdirSync(destination, { recursive: true });
  const packed: PackedPackage[] = [];
  for (const directory of publishableDirectories(root))
    packed.push(await packPackage(directory, destination));
  return packed;
}
