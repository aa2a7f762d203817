/**
 * Loading the user's operator: TypeScript or JavaScript files (and `-m` modules)
 * imported directly through tsx's loader, with no build step, so that their `on.*`
 * calls register into @kopf/core's default registry. tsx is registered globally (not
 * per import) on purpose: a namespaced `tsImport` would load a second copy of
 * @kopf/core for the user's files, whose handlers and error classes the reactor
 * would not know. Failures become one-line `CommandError`s with the file and line.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getDefaultRegistry, type Registry } from '@kopf/core';
import { register } from 'tsx/esm/api';
import { CommandError, oneLine } from './errors.js';

/** What to load. */
export interface OperatorSources {
  /** File paths, relative to `cwd`. */
  readonly files: readonly string[];
  /** Module names resolved from `cwd` as Node's `require.resolve` does (`-m`). */
  readonly modules: readonly string[];
  readonly cwd: string;
}

/** A loaded operator. */
export interface LoadedOperator {
  readonly registry: Registry;
  /** Absolute paths of every project file imported (not under node_modules): what `kopf dev` watches. */
  readonly imported: readonly string[];
}

/** Files a load touched, also when it failed (so `kopf dev` can watch them for a fix). */
export class LoadError extends CommandError {
  override name = 'LoadError';
  readonly imported: readonly string[];

  constructor(message: string, imported: readonly string[], options?: ErrorOptions) {
    super(message, options);
    this.imported = imported;
  }
}

const importedUrls = new Set<string>();
let registered = false;

/**
 * Imports the operator's files and modules, in order, and checks that they registered handlers.
 *
 * @throws LoadError naming the file, the reason and, where known, the line.
 */
export async function loadOperator(sources: OperatorSources): Promise<LoadedOperator> {
  const paths = [
    ...sources.files.map((file) => locateFile(file, sources.cwd)),
    ...sources.modules.map((name) => locateModule(name, sources.cwd)),
  ];
  registerLoader();
  for (const path of paths) {
    assertEsModule(path, sources.cwd);
    try {
      await import(pathToFileURL(path).href);
    } catch (error) {
      const where = display(path, sources.cwd);
      const message = `Loading ${where} failed: ${describeLoadFailure(error, sources.cwd)}`;
      throw new LoadError(message, [path, ...projectFiles()], { cause: error });
    }
  }
  const registry = getDefaultRegistry();
  if (registry.handlers.length === 0) {
    const names = paths.map((path) => display(path, sources.cwd)).join(', ');
    throw new LoadError(
      `The operator registered no handlers (${names}). Register them with on.create(…) and the like from ` +
        "@kopf/core, and run the project's own kopf (npx kopf) so that they share its @kopf/core.",
      [...paths, ...projectFiles()],
    );
  }
  return { registry, imported: [...new Set([...paths, ...projectFiles()])] };
}

function registerLoader(): void {
  if (registered) return;
  register({ onImport: (url) => importedUrls.add(url) });
  registered = true;
}

function projectFiles(): string[] {
  return [...importedUrls]
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url.replace(/\?.*$/, '')))
    .filter((path) => !path.split(/[\\/]/).includes('node_modules'));
}

function locateFile(file: string, cwd: string): string {
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    throw new LoadError(`Loading ${file} failed: there is no such file (looked for ${path}).`, []);
  }
  if (!statSync(path).isFile()) {
    throw new LoadError(
      `Loading ${file} failed: ${path} is not a file; name the operator's .ts or .js file.`,
      [],
    );
  }
  return path;
}

function locateModule(name: string, cwd: string): string {
  try {
    return createRequire(join(cwd, 'package.json')).resolve(name);
  } catch (error) {
    throw new LoadError(
      `Loading module ${name} failed: it cannot be resolved from ${cwd} (${oneLine(error)}). ` +
        'Install it in the project, or pass the file path instead of -m.',
      [],
      { cause: error },
    );
  }
}

/** Node and tsx load `.ts`/`.js` files as CommonJS outside `"type": "module"`; @kopf/* are ES modules only. */
function assertEsModule(path: string, cwd: string): void {
  const extension = extname(path);
  if (['.mts', '.mjs'].includes(extension)) return;
  const where = display(path, cwd);
  if (['.cts', '.cjs'].includes(extension)) {
    throw new LoadError(
      `Loading ${where} failed: it is a CommonJS file; kopf-ts operators are ES modules (.ts, .mts, .js, .mjs).`,
      [path],
    );
  }
  const manifest = nearestPackageJson(dirname(path));
  const type = manifest ? (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type : undefined;
  if (type !== 'module') {
    const fix = manifest
      ? `add "type": "module" to ${display(manifest, cwd)}`
      : `create a package.json with {"type": "module"} next to it`;
    throw new LoadError(
      `Loading ${where} failed: it would load as CommonJS, but kopf-ts operators are ES modules; ${fix}, ` +
        'or rename it to .mts.',
      [path],
    );
  }
}

function nearestPackageJson(directory: string): string | undefined {
  for (let current = directory; ; current = dirname(current)) {
    const candidate = join(current, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

/** The error and where it happened: esbuild's location for syntax errors, else the first user frame. */
function describeLoadFailure(error: unknown, cwd: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const syntax = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(message);
  // esbuild counts columns from 0; editors and Node's stack traces from 1.
  if (syntax)
    return `${syntax[4]} (at ${display(syntax[1] ?? '', cwd)}:${syntax[2]}:${Number(syntax[3]) + 1}).`;
  const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
  const location = userFrame(error, cwd);
  const text = oneLine(error).replace(/\.$/, '');
  return `${name}${text}${location ? ` (at ${location})` : ''}.`;
}

function userFrame(error: unknown, cwd: string): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  const files = new Set(projectFiles());
  for (const match of error.stack.matchAll(/\(?((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)\)?$/gm)) {
    const raw = match[1] ?? '';
    const path = raw.startsWith('file:') ? fileURLToPath(raw) : raw;
    if (files.has(path)) return `${display(path, cwd)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function display(path: string, cwd: string): string {
  const relativePath = relative(cwd, path);
  return relativePath && !relativePath.startsWith('..') && !isAbsolute(relativePath) ? relativePath : path;
}
