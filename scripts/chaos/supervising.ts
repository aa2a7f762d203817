/**
 * The chaos operator's lives: forks the operator process (`operator-process.ts`)
 * with its stdout and stderr in files of the run, kills it with SIGKILL and starts
 * a new one, stops the last one gracefully — and notices when a process exits that
 * nobody killed (a crash), records it, and starts a new one so that the run goes on.
 * Actions are done one at a time, in the order asked.
 */
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildHandle, forkChild } from '../bench/child-processes.js';
import type { OperatorProcessConfig } from './operator-process.js';

const SCRIPT = fileURLToPath(new URL('./operator-process.ts', import.meta.url));

/** How an operator process ended. */
export interface LifeExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: number;
}

/** One operator process, from its start to its exit. */
export interface OperatorLife {
  /** 1 for the first process of the run. */
  readonly index: number;
  pid?: number;
  /** When the run sent SIGKILL: an injected kill. */
  killedAt?: number;
  /** When the run asked for a graceful stop. */
  stoppedAt?: number;
  exit?: LifeExit;
  /** Why it could not start, if it could not. */
  startError?: string;
  readonly stdoutPath: string;
  readonly stderrPath: string;
}

/** Starts, kills, restarts and stops the operator process. */
export class OperatorSupervisor {
  readonly lives: OperatorLife[] = [];
  readonly #dir: string;
  readonly #config: OperatorProcessConfig;
  #current: { life: OperatorLife; child: ChildHandle } | undefined;
  #queue: Promise<void> = Promise.resolve();
  #stopping = false;

  /** `dir` holds the processes' output files; the side-store files go to `config.storeDir`. */
  constructor(dir: string, config: OperatorProcessConfig) {
    this.#dir = dir;
    this.#config = config;
  }

  /** Starts the first process; resolves once its operator is ready. */
  start(): Promise<void> {
    return this.#enqueue(() => this.#startLife());
  }

  /** SIGKILLs the current process, waits for its exit, and starts the next one (until ready). */
  kill(): Promise<void> {
    return this.#enqueue(async () => {
      const current = this.#current;
      if (current) {
        current.life.killedAt = Date.now();
        current.child.process.kill('SIGKILL');
        await current.child.exited;
      }
      await this.#startLife();
    });
  }

  /** Stops the current process gracefully (its `stop` command); resolves once it has exited. */
  stop(): Promise<void> {
    this.#stopping = true;
    return this.#enqueue(async () => {
      const current = this.#current;
      if (!current) return;
      current.life.stoppedAt = Date.now();
      await current.child.stop(60); // resolves once the process has exited
    });
  }

  /**
   * Runs `action` between the supervisor's own actions: after any kill asked for
   * earlier has been followed by a ready operator, and before any later one.
   */
  whileRunning<T>(action: () => Promise<T>): Promise<T> {
    return this.#enqueue(action);
  }

  #enqueue<T>(action: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(action);
    this.#queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  async #startLife(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const life = await this.#fork();
      if (life) return;
      if (attempt >= 3) {
        throw new Error(
          `Starting the chaos operator failed 3 times in a row; see ${this.lives.at(-1)?.stderrPath}`,
        );
      }
    }
  }

  /** One attempt to start a process; `undefined` when it did not get ready. */
  async #fork(): Promise<OperatorLife | undefined> {
    const index = this.lives.length + 1;
    const life: OperatorLife = {
      index,
      stdoutPath: join(this.#dir, `operator-${index}.out`),
      stderrPath: join(this.#dir, `operator-${index}.err`),
    };
    this.lives.push(life);
    const stdout = openSync(life.stdoutPath, 'a');
    const stderr = openSync(life.stderrPath, 'a');
    try {
      const child = await forkChild(SCRIPT, { args: [JSON.stringify(this.#config)], stdout, stderr });
      life.pid = child.process.pid;
      const current = { life, child };
      this.#current = current;
      child.process.once('exit', (code, signal) => {
        life.exit = { code, signal, at: Date.now() };
        const unexpected = life.killedAt === undefined && life.stoppedAt === undefined;
        if (unexpected && !this.#stopping && this.#current === current)
          void this.#enqueue(() => this.#startLife());
      });
      return life;
    } catch (error) {
      life.startError = error instanceof Error ? error.message : String(error);
      life.exit = { code: null, signal: null, at: Date.now() };
      return undefined;
    } finally {
      closeSync(stdout);
      closeSync(stderr);
    }
  }
}
