/**
 * The real `kopf` binary (`packages/cli/bin/kopf.js`) as a subprocess, run from the
 * sources: Node with the `@kopf/source` condition and tsx, so no build is needed
 * (the same way `npm test` runs every package). Output is collected; tests wait for
 * lines rather than sleeping, and every process is stopped or killed after its test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO: string = fileURLToPath(new URL('../../../../', import.meta.url));

/** The `kopf` binary, as npm links it. */
export const KOPF_BIN: string = fileURLToPath(new URL('../../bin/kopf.js', import.meta.url));

/** Node's arguments that run the binary from the TypeScript sources. */
export const SOURCE_NODE_ARGS: readonly string[] = [
  '--conditions=@kopf/source',
  '--import',
  import.meta.resolve('tsx'),
];

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options of {@link startKopf}. */
export interface KopfOptions {
  readonly cwd?: string;
  /** Added to the test process's environment (KUBECONFIG is removed unless given here). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A running `kopf` process. */
export class KopfProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  #stdout = '';
  #stderr = '';

  constructor(child: ChildProcess) {
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      this.#stdout += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.#stderr += text;
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Both streams (stdout first): for failure messages. */
  get output(): string {
    return `--- stdout:\n${this.#stdout}\n--- stderr:\n${this.#stderr}`;
  }

  /**
   * Resolves with the first (or the `occurrence`-th) line of stdout or stderr matching, polling.
   *
   * @throws Error with everything printed so far when none matches in time or the process ends.
   */
  async waitFor(pattern: string | RegExp, timeoutSeconds = 30, occurrence = 1): Promise<string> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
      const lines = `${this.#stdout}\n${this.#stderr}`.split('\n');
      const found = lines.filter((l) =>
        typeof pattern === 'string' ? l.includes(pattern) : pattern.test(l),
      );
      const line = found[occurrence - 1];
      if (line !== undefined) return line;
      const ended = this.child.exitCode !== null || this.child.signalCode !== null;
      if (ended || Date.now() > deadline) {
        const why = ended
          ? `the process exited (${this.child.exitCode ?? this.child.signalCode})`
          : 'timed out';
        throw new Error(`No line matched ${String(pattern)}: ${why}.\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends a signal and waits for the exit; kills the process if it does not exit in time. */
  async stop(signal: NodeJS.Signals = 'SIGINT', timeoutSeconds = 30): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutSeconds * 1000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Starts `kopf ARGS...` from the sources. */
export function startKopf(args: readonly string[], options: KopfOptions = {}): KopfProcess {
  const { KUBECONFIG: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [...SOURCE_NODE_ARGS, KOPF_BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new KopfProcess(child);
}

/** Runs `kopf ARGS...` to its end (killing it after the timeout) and returns its exit and output. */
export async function runKopf(
  args: readonly string[],
  options: KopfOptions & { readonly timeoutSeconds?: number } = {},
): Promise<Exit & { readonly stdout: string; readonly stderr: string }> {
  const kopf = startKopf(args, options);
  const timer = setTimeout(() => kopf.child.kill('SIGKILL'), (options.timeoutSeconds ?? 60) * 1000);
  try {
    const exit = await kopf.exited;
    return { ...exit, stdout: kopf.stdout, stderr: kopf.stderr };
  } finally {
    clearTimeout(timer);
  }
}
