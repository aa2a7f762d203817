/**
 * Scratch projects for the pack smoke test: a fresh directory outside the
 * repository with a package.json naming only the packages a user would install.
 * Until the packages are on the registry, their `@kopf/*` dependencies are
 * redirected to the packed tarballs by npm `overrides` — which install a package
 * only when something depends on it, so a package that needs a sibling it does
 * not declare fails to install or to import, as it would from the registry.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PackedPackage } from './packing.js';
import { runOk } from './processes.js';

/** The package.json of a scratch project (the fields it writes). */
export interface ScratchManifest {
  readonly name: string;
  readonly private: true;
  readonly type: 'module';
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
  readonly overrides: Record<string, string>;
}

/** A package to install was not packed; the message names it and what was packed. */
export class UnknownPackageError extends Error {
  override name = 'UnknownPackageError';
}

/**
 * The manifest of a project that installs `named` (by package name) from their
 * tarballs, plus `tools` from the registry (name → version) as dev dependencies;
 * every other packed package is only an override, used if depended on.
 */
export function scratchManifest(
  projectName: string,
  named: readonly string[],
  packed: readonly PackedPackage[],
  tools: Readonly<Record<string, string>> = {},
): ScratchManifest {
  const tarballOf = new Map(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`]));
  const dependencies: Record<string, string> = {};
  for (const name of named) {
    const spec = tarballOf.get(name);
    if (!spec) {
      throw new UnknownPackageError(
        `Writing the scratch project ${projectName} failed: ${name} was not packed (packed: ${[...tarballOf.keys()].join(', ')}); check the name.`,
      );
    }
    dependencies[name] = spec;
  }
  // npm refuses an override that differs from a direct dependency's spec; named ones need none.
  const overrides = Object.fromEntries([...tarballOf].filter(([name]) => !named.includes(name)));
  return {
    name: projectName,
    private: true,
    type: 'module',
    dependencies,
    devDependencies: { ...tools },
    overrides,
  };
}

/**
 * The environment for commands in a scratch project: this one without what npm
 * sets for the repository's scripts (`npm_config_local_prefix`, `npm_package_*`,
 * `npm_lifecycle_*`, `INIT_CWD`), so that under `npm run pack:smoke` the project is
 * installed and run as from a user's shell. Other `npm_config_*` (a registry, a CA
 * file) stay: they may be how this machine reaches the registry.
 */
export function scratchEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([key]) => !/^(npm_config_local_prefix|npm_package_.*|npm_lifecycle_.*|INIT_CWD)$/i.test(key),
    ),
  );
}

/** A scratch project on disk, installed. */
export interface ScratchProject {
  readonly directory: string;
  /** Seconds `npm install` took. */
  readonly installSeconds: number;
}

/**
 * Creates a project in a fresh directory under the OS temp dir (outside the
 * repository, so no workspace or parent `node_modules` can help) and installs
 * it: the named tarballs, third-party dependencies and tools from the registry or
 * npm's cache.
 */
export async function createScratchProject(
  projectName: string,
  named: readonly string[],
  packed: readonly PackedPackage[],
  options: { readonly parent?: string; readonly tools?: Readonly<Record<string, string>> } = {},
): Promise<ScratchProject> {
  const directory = await mkdtemp(join(options.parent ?? tmpdir(), `${projectName}-`));
  const manifest = scratchManifest(projectName, named, packed, options.tools);
  await writeFile(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const started = Date.now();
  await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: directory,
    env: scratchEnvironment(),
    timeout: 300,
  });
  return { directory, installSeconds: (Date.now() - started) / 1000 };
}
