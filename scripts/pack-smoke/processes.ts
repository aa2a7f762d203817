/**
 * Child processes for the release checks: a command run to completion with its
 * output captured and a time limit, and a background process (a fake API server,
 * `kopf run`) whose output is awaited for a line and which is stopped for sure.
 * Each child gets its own process group so that stopping it also stops what it
 * started (npx, tsx's workers).
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** Where and how to run a command. */
export interface CommandOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Seconds before the command is killed; default 120. */
  readonly timeout?: number;
}

/** How a command ended: its exit code (`null` when killed), its stdout, and stdout and stderr interleaved. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly output: string;
  readonly timedOut: boolean;
}

/** A command could not do what a check needs; the message names the command, why, and its output. */
export class CommandError extends Error {
  override name = 'CommandError';
}

function startGroup(command: string, args: readonly string[], options: CommandOptions): ChildProcess {
  return spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Signals the child's whole group (also after the child itself exited: its descendants may live on). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Runs a command to its end (or its time limit) and returns its code and output. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const child = startGroup(command, args, options);
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    },
    (options.timeout ?? 120) * 1000,
  );
  return new Promise((resolve) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, output: `${output}${String(error)}\n`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, output, timedOut });
    });
  });
}

/** Runs a command and returns its output; throws CommandError unless it exits with 0. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const why = result.timedOut
      ? `did not finish within ${options.timeout ?? 120} s`
      : `exited with ${result.code}`;
    throw new CommandError(`\`${[command, ...args].join(' ')}\` in ${options.cwd} ${why}:\n${result.output}`);
  }
  return result.stdout;
}

/** A long-running child: its output so far, a wait for a line of it, and a stop that cannot leak it. */
export class BackgroundProcess {
  readonly #child: ChildProcess;
  readonly #description: string;
  readonly #exited: Promise<number | null>;
  #output = '';

  private constructor(child: ChildProcess, description: string) {
    this.#child = child;
    this.#description = description;
    const append = (chunk: Buffer): void => {
      this.#output += chunk.toString();
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.#exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.#output += `${String(error)}\n`;
        resolve(null);
      });
      child.on('close', (code) => resolve(code));
    });
  }

  /** Starts the command in the background. */
  static start(command: string, args: readonly string[], options: CommandOptions): BackgroundProcess {
    return new BackgroundProcess(startGroup(command, args, options), `\`${[command, ...args].join(' ')}\``);
  }

  /** Everything it printed so far (stdout and stderr). */
  get output(): string {
    return this.#output;
  }

  /** Resolves with the match once its output matches `pattern`; throws if it exits or the time runs out first. */
  async waitFor(pattern: RegExp, timeoutSeconds: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    let exited = false;
    void this.#exited.then(() => {
      exited = true;
    });
    for (;;) {
      const match = this.#output.match(pattern);
      if (match) return match;
      if (exited || Date.now() > deadline) {
        const why = exited ? 'exited' : `printed nothing matching it within ${timeoutSeconds} s`;
        throw new CommandError(
          `Waiting for ${pattern} from ${this.#description} failed: it ${why}:\n${this.#output}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Sends SIGTERM to its process group and resolves with the exit code once it has
   * exited; SIGKILL after `graceSeconds` (then the code is `null`).
   */
  async stop(graceSeconds = 15): Promise<number | null> {
    killGroup(this.#child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(this.#child, 'SIGKILL'), graceSeconds * 1000);
    try {
      return await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
