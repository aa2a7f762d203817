/**
 * The operator processes of `kopf dev`, one per generation: each runs `kopf run`
 * in a fresh Node process, so a restart gets a fresh registry, freshly imported
 * modules and none of the previous generation's timers, sockets or module state
 * (ES modules cannot be unloaded; re-importing them in one process would leak and
 * keep stale copies). The process reports the project files it imported; a change
 * to any of them stops it gracefully (over IPC) and starts the next generation.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_IPC_ENV, isImportedMessage, type StopMessage } from './dev-protocol.js';
import { FileWatcher } from './file-watching.js';
import type { CommandContext } from './io.js';
import { display } from './loading.js';

/** The `kopf` entry module beside this one (`entry.ts` from sources, `entry.js` when built). */
const ENTRY = fileURLToPath(new URL(`./entry${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Options of {@link OperatorGenerations}. */
export interface GenerationsOptions {
  /** The arguments of `kopf run` (without `run`). */
  readonly args: readonly string[];
  /** Files to watch before the first process reports its imports (the operator files). */
  readonly files: readonly string[];
  readonly context: CommandContext;
  /** Prints a status line of `kopf dev`. */
  readonly say: (line: string) => void;
  /** Seconds to wait for a graceful stop before killing; default 20. */
  readonly stopTimeout?: number;
}

/** Runs the operator in a child process and restarts it when its files change. */
export class OperatorGenerations {
  readonly #options: GenerationsOptions;
  readonly #watcher: FileWatcher;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #restarting: Promise<void> | undefined;
  #closing = false;

  constructor(options: GenerationsOptions) {
    this.#options = options;
    this.#watcher = new FileWatcher((changed) => void this.#restart(changed));
    this.#watcher.add(options.files);
  }

  /** Starts the first generation. */
  start(): void {
    this.#spawn();
  }

  /** Stops watching and stops the running operator gracefully. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#watcher.close();
    await this.#restarting;
    await this.#stopChild('kopf dev is stopping');
  }

  /** Kills the running operator at once (a second Ctrl-C). */
  kill(): void {
    this.#child?.kill('SIGKILL');
  }

  async #restart(changed: readonly string[]): Promise<void> {
    if (this.#closing || this.#restarting) return;
    const names = changed.map((path) => display(path, this.#options.context.cwd)).join(', ');
    this.#options.say(`${names} changed: restarting the operator.`);
    this.#restarting = (async () => {
      await this.#stopChild(`${names} changed`);
      if (!this.#closing) this.#spawn();
    })();
    await this.#restarting;
    this.#restarting = undefined;
  }

  #spawn(): void {
    const { context } = this.#options;
    const env = Object.fromEntries(
      Object.entries(context.env).filter(([key]) => !key.startsWith('KOPF_RUN_')),
    );
    const child = fork(ENTRY, ['run', ...this.#options.args], {
      cwd: context.cwd,
      env: { ...env, [DEV_IPC_ENV]: '1' },
      execArgv: process.execArgv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group: a Ctrl-C reaches kopf dev only, which then stops the operator itself.
      detached: true,
    });
    this.#child = child;
    child.stdout?.setEncoding('utf8').on('data', (text: string) => context.output.out(text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => context.output.err(text));
    child.on('message', (message) => {
      if (isImportedMessage(message)) this.#watcher.add(message.files);
    });
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = undefined;
        if (!this.#closing && !this.#restarting) {
          const how = signal ? `by ${signal}` : `with code ${code}`;
          this.#options.say(
            `The operator exited ${how}; waiting for changes to its files to start it again.`,
          );
        }
        resolve();
      });
    });
  }

  async #stopChild(reason: string): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'kopf:stop', reason } satisfies StopMessage);
    else child.kill('SIGTERM');
    const timeout = (this.#options.stopTimeout ?? 20) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#options.say(`The operator did not stop within ${timeout / 1000} s; killing it.`);
        child.kill('SIGKILL');
        resolve();
      }, timeout);
    });
    await Promise.race([this.#exited, killed]);
    clearTimeout(timer);
    await this.#exited;
  }
}
