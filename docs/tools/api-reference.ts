/**
 * Builds the API reference (`npm run docs` → `dist/api/index.html`) with TypeDoc,
 * failing on any warning.
 *
 * Why a driver and not `typedoc` alone: TypeDoc's "packages" mode reads per-package
 * options only from files inside each package, and its "resolve" mode over all five
 * entry points silently skips the not-exported check (it only checks symbols of the
 * root package, `kopf-ts`). So each package is converted and validated on its own
 * (its `src/index.ts`, its own package name, its own list of known gaps), then the
 * five are merged into one site whose links are validated too. Shared options live
 * in the root `typedoc.json`. TypeDoc runs on TypeScript 5.9 from `docs/tools`
 * (TypeScript 7, the repository's compiler, has no JS API).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, type TypeDocOptions } from 'typedoc';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SHARED = join(ROOT, 'typedoc.json');

/**
 * Types that a package's public API mentions but its `src/index.ts` does not export.
 * Users cannot name them; each is a gap to close by exporting it (then delete it
 * here: an entry that is no longer needed fails the build too).
 */
const KNOWN_UNEXPORTED: Record<string, readonly string[]> = {
  core: [
    'src/patches.ts:Json',
    'src/registration.ts:SpawningHandlerOf',
    'src/registration.ts:SpawningOptionsOf',
    'src/filters.ts:Predicate',
    'src/diffing.ts:JsonRecord',
    'src/declaring.ts:Options',
  ],
  k8s: ['src/objects.ts:PatchPart'],
  reactor: [
    'src/execution.ts:Outcome',
    'src/diffbase.ts:ExtraFields',
    'src/spawning.ts:DaemonRegistry',
    'src/serving.ts:Route',
    'src/streaming.ts:WatcherObserver',
    'src/queueing.ts:ProcessingResult',
    'src/essence.ts:JsonRecord',
    'src/toggles.ts:Listener',
  ],
  testing: ['src/fake-api-server/kinds.ts:Verb'],
  cli: ['src/io.ts:CommandContext'],
};

/** Converts and validates one package; returns false when it had errors or warnings. */
async function convertPackage(name: string, jsonOut: string): Promise<boolean> {
  const options: Partial<TypeDocOptions> = {
    options: SHARED,
    entryPoints: [join(ROOT, 'packages', name, 'src/index.ts')],
    tsconfig: join(ROOT, 'packages', name, 'tsconfig.json'),
    intentionallyNotExported: [...(KNOWN_UNEXPORTED[name] ?? [])],
    // Links into sibling packages resolve only in the merged site, checked there.
    validation: { notExported: true, notDocumented: true, invalidLink: false },
  };
  const app = await Application.bootstrapWithPlugins(options);
  app.logger.info(`Converting @kopf/${name}`);
  const project = await app.convert();
  if (!project) return false;
  app.validate(project);
  await app.generateJson(project, jsonOut);
  return !app.logger.hasErrors() && !app.logger.hasWarnings();
}

/** Merges the converted packages into the HTML site; returns false on errors or warnings. */
async function mergePackages(jsonFiles: readonly string[]): Promise<boolean> {
  const app = await Application.bootstrapWithPlugins({
    options: SHARED,
    name: 'kopf-ts',
    entryPointStrategy: 'merge',
    entryPoints: [...jsonFiles],
  });
  const project = await app.convert();
  if (!project) return false;
  app.validate(project);
  await app.generateOutputs(project);
  return !app.logger.hasErrors() && !app.logger.hasWarnings();
}

/**
 * `npm run docs [-- core reactor]`: the packages to convert (all by default; naming
 * some is quicker while fixing their comments).
 */
async function main(only: readonly string[]): Promise<number> {
  const known = Object.keys(KNOWN_UNEXPORTED);
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    console.error(`API reference: no package ${unknown.join(', ')}; name some of: ${known.join(', ')}.`);
    return 1;
  }
  process.chdir(ROOT);
  const scratch = mkdtempSync(join(tmpdir(), 'kopf-api-'));
  try {
    const jsonFiles: string[] = [];
    let clean = true;
    const names = known.filter((name) => only.length === 0 || only.includes(name));
    for (const name of names) {
      const jsonOut = join(scratch, `${name}.json`);
      clean = (await convertPackage(name, jsonOut)) && clean;
      jsonFiles.push(jsonOut);
    }
    if (!clean) {
      console.error('API reference: fix the warnings above (warnings are errors here).');
      return 1;
    }
    if (!(await mergePackages(jsonFiles))) {
      console.error('API reference: merging the packages failed (see above).');
      return 1;
    }
    console.log('API reference: dist/api/index.html');
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
