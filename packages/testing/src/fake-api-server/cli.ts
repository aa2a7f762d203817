/**
 * The command-line entry of the fake API server: starts it on 127.0.0.1, writes a
 * kubeconfig, prints how to use it with kubectl, and stops cleanly on SIGINT/SIGTERM.
 * `kopf dev` calls `startFakeApiServerCli()` and handles signals itself. With
 * `--persist DIR`, objects (and the token and CA, so the kubeconfig) survive restarts.
 *
 *   npx tsx packages/testing/src/fake-api-server/cli.ts --kubeconfig PATH [--port N] [--namespace NS]… [--persist DIR]
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeApiServer } from './server.js';

/** What the CLI is told. */
export interface FakeApiServerCliOptions {
  /** Where to write the kubeconfig. */
  readonly kubeconfig: string;
  readonly port?: number;
  readonly host?: string;
  readonly namespaces?: readonly string[];
  /** Keep the store (and the token and CA) in this directory across restarts. */
  readonly persist?: string;
}

/** A started CLI server. */
export interface FakeApiServerCli {
  readonly server: FakeApiServer;
  readonly kubeconfigPath: string;
  /** The one line that tells a person how to use it. */
  readonly message: string;
}

/** Thrown for command-line mistakes; the message says what to type instead. */
export class FakeApiServerCliError extends Error {
  override name = 'FakeApiServerCliError';
}

const USAGE =
  'usage: cli.ts --kubeconfig PATH [--port N] [--host ADDRESS] [--namespace NAME]... [--persist DIR]';
const FLAGS = ['--kubeconfig', '--port', '--host', '--namespace', '--persist'];

/** Parses the command line. */
export function parseFakeApiServerCliArgs(argv: readonly string[]): FakeApiServerCliOptions {
  let kubeconfig: string | undefined;
  let port: number | undefined;
  let host: string | undefined;
  let persist: string | undefined;
  const namespaces: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (value === undefined || !FLAGS.includes(flag ?? '')) {
      throw new FakeApiServerCliError(`Reading the command line failed at ${JSON.stringify(flag)}: ${USAGE}`);
    }
    index += 1;
    if (flag === '--kubeconfig') kubeconfig = value;
    else if (flag === '--host') host = value;
    else if (flag === '--namespace') namespaces.push(value);
    else if (flag === '--persist') persist = value;
    else {
      port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new FakeApiServerCliError(
          `Reading --port failed: ${JSON.stringify(value)} is not a port number (0–65535)`,
        );
      }
    }
  }
  if (!kubeconfig)
    throw new FakeApiServerCliError(`Reading the command line failed: --kubeconfig is required; ${USAGE}`);
  return {
    kubeconfig,
    ...(port !== undefined ? { port } : {}),
    ...(host ? { host } : {}),
    ...(namespaces.length ? { namespaces } : {}),
    ...(persist ? { persist } : {}),
  };
}

/** Starts the server, writes the kubeconfig, and returns the line to print. */
export async function startFakeApiServerCli(options: FakeApiServerCliOptions): Promise<FakeApiServerCli> {
  const server = await FakeApiServer.start({
    host: options.host ?? '127.0.0.1',
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.namespaces ? { namespaces: options.namespaces } : {}),
    ...(options.persist ? { persistTo: resolve(options.persist) } : {}),
  });
  const kubeconfigPath = resolve(options.kubeconfig);
  try {
    await server.writeKubeconfig(kubeconfigPath);
  } catch (error) {
    await server.stop();
    throw new FakeApiServerCliError(
      `Writing the kubeconfig to ${kubeconfigPath} failed; pass a writable --kubeconfig path`,
      { cause: error },
    );
  }
  const kept = options.persist ? ` (objects kept in ${resolve(options.persist)})` : '';
  const message = `Fake Kubernetes API server at ${server.url}${kept}; use it with: export KUBECONFIG=${kubeconfigPath}`;
  return { server, kubeconfigPath, message };
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseFakeApiServerCliArgs(argv);
  // Listen for signals before saying anything: whoever reads the line may signal at once.
  let stopRequested = false;
  let server: FakeApiServer | undefined;
  const stop = (): void => {
    stopRequested = true;
    void server?.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const cli = await startFakeApiServerCli(options);
  server = cli.server;
  if (stopRequested) return stop();
  console.log(cli.message);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
