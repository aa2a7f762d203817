/** Operator processes for the scenarios that need real, separate processes (peering, embedding). */
import { type ChildProcess, spawn } from 'node:child_process';
import type { FakeApiServer } from '@kopf/testing';

/** A child process running a TypeScript fixture, with its stdout collected. */
export interface Fixture {
  readonly child: ChildProcess;
  /** Everything printed on stdout so far. */
  output(): string;
  /** Resolves once stdout contains `text` (polling), or rejects after `timeout` seconds. */
  waitFor(text: string, timeout?: number): Promise<void>;
  /** Resolves with the exit code once the process has exited, or `undefined` after `timeout` seconds. */
  exited(timeout: number): Promise<number | null | undefined>;
}

/** Starts `fixture` (a .ts file) with the fake server's address in its environment. */
export function startFixture(
  fixture: string,
  server: FakeApiServer,
  env: Record<string, string> = {},
): Fixture {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kopf/source', fixture], {
    env: {
      ...process.env,
      ...env,
      KOPF_SERVER: server.url,
      KOPF_CA: server.caData,
      KOPF_TOKEN: server.token,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor: async (text, timeout = 30) => {
      const deadline = Date.now() + timeout * 1000;
      while (!output.includes(text)) {
        if (Date.now() > deadline) {
          throw new Error(`The process did not print '${text}' within ${timeout} s; it printed:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    exited: (timeout) =>
      Promise.race([
        exit,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeout * 1000).unref()),
      ]),
  };
}
