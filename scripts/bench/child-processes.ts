/**
 * Benchmark actors in their own processes (the fake API server, the operator, the
 * baseline loop), so that none measures the others' CPU or heap. A child is a
 * TypeScript file forked with tsx, resolving our packages from their sources (the
 * `@kopf/source` condition, as the tests do), with `--expose-gc`. Parent and child
 * talk over Node's IPC channel: the child announces itself with a `ready` message,
 * the parent sends commands and gets one reply per command. A child exits when its
 * parent disconnects, so no actor outlives a crashed benchmark.
 */
import { type ChildProcess, fork } from 'node:child_process';

/** The flags every actor runs with. */
export const CHILD_EXEC_ARGV: readonly string[] = [
  '--conditions=@kopf/source',
  '--expose-gc',
  '--import',
  'tsx',
];

/** A message between parent and child: a `type`, and whatever the type carries. */
export interface ChildMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A command from the parent; `id` pairs it with its reply. */
interface CommandMessage extends ChildMessage {
  readonly type: 'command';
  readonly id: number;
  readonly command: string;
  readonly payload: unknown;
}

/** A child did not start, answered a command with an error, or died. */
export class ChildProcessError extends Error {
  override name = 'ChildProcessError';
}

/** Where a child's stdout or stderr goes: the parent's, nowhere, or an open file descriptor. */
export type OutputTarget = 'inherit' | 'ignore' | number;

/** Options of {@link forkChild}. */
export interface ForkOptions {
  readonly args?: readonly string[];
  /** The child's stdout; default the parent's. */
  readonly stdout?: OutputTarget;
  /** The child's stderr (a file, to read crashes from); default the parent's. */
  readonly stderr?: OutputTarget;
  /** Extra Node flags (e.g. `--max-old-space-size=…`). */
  readonly execArgv?: readonly string[];
  /** Seconds to wait for the `ready` message; default 60. */
  readonly readyTimeout?: number;
}

/** A running child and the means to talk to it. */
export class ChildHandle {
  readonly process: ChildProcess;
  /** The `ready` message the child sent. */
  readonly ready: ChildMessage;
  readonly #script: string;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  readonly #exited: Promise<number | null>;

  constructor(child: ChildProcess, ready: ChildMessage, script: string) {
    this.process = child;
    this.ready = ready;
    this.#script = script;
    child.on('message', (message: ChildMessage) => this.#onReply(message));
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.#exited.then((code) => {
      for (const { reject } of this.#pending.values()) {
        reject(new ChildProcessError(`${this.#script} exited (code ${code}) before it answered a command`));
      }
      this.#pending.clear();
    });
  }

  /** Resolves with the exit code once the process has exited (however it ended). */
  get exited(): Promise<number | null> {
    return this.#exited;
  }

  /** Sends a command and resolves with the child's reply (its `result`). */
  request<T = unknown>(command: string, payload: unknown = null): Promise<T> {
    const id = this.#nextId++;
    const message: CommandMessage = { type: 'command', id, command, payload };
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.process.send(message, (error) => {
        if (error) {
          this.#pending.delete(id);
          reject(new ChildProcessError(`Sending '${command}' to ${this.#script} failed`, { cause: error }));
        }
      });
    });
  }

  /** Asks the child to stop (the `stop` command), then waits for it to exit; kills it after `grace` s. */
  async stop(grace = 10): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const timer = setTimeout(() => this.process.kill('SIGKILL'), grace * 1000);
    try {
      await this.request('stop').catch(() => undefined);
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  #onReply(message: ChildMessage): void {
    if (message.type !== 'reply' || typeof message.id !== 'number') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (typeof message.error === 'string') {
      pending.reject(new ChildProcessError(`${this.#script} failed a command: ${message.error}`));
    } else {
      pending.resolve(message.result);
    }
  }
}

/**
 * Forks `script` with {@link CHILD_EXEC_ARGV}; resolves once it has sent `ready`.
 *
 * @throws ChildProcessError when it exits or stays silent before being ready.
 */
export function forkChild(script: string, options: ForkOptions = {}): Promise<ChildHandle> {
  const child = fork(script, [...(options.args ?? [])], {
    execArgv: [...CHILD_EXEC_ARGV, ...(options.execArgv ?? [])],
    stdio: ['ignore', options.stdout ?? 'inherit', options.stderr ?? 'inherit', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const timeout = (options.readyTimeout ?? 60) * 1000;
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(new ChildProcessError(`Starting ${script} failed: ${why}; run it alone to see why`));
    };
    const timer = setTimeout(() => fail(`no 'ready' message within ${timeout / 1000} s`), timeout);
    const onExit = (code: number | null): void => fail(`it exited with code ${code}`);
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== 'ready') return;
      cleanup();
      resolve(new ChildHandle(child, message, script));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onMessage);
    };
    child.on('exit', onExit);
    child.on('message', onMessage);
  });
}

/** What a child does for each command; the returned value is the reply. */
export type CommandHandlers = Record<string, (payload: unknown) => unknown>;

/**
 * The child's side: tells the parent it is ready (with `details`) and answers its
 * commands. `stop` runs the given handler (if any), then exits. The process also
 * exits when the parent goes away.
 */
export function serveParent(details: Record<string, unknown>, handlers: CommandHandlers): void {
  const send = process.send?.bind(process);
  if (!send) {
    throw new ChildProcessError(
      'Serving the parent failed: there is no IPC channel; start this script with forkChild()',
    );
  }
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: CommandMessage) => {
    if (message.type !== 'command') return;
    void answer(message, handlers).then((reply) => {
      send(reply, undefined, {}, () => {
        if (message.command === 'stop') process.exit(0);
      });
    });
  });
  send({ type: 'ready', ...details });
}

async function answer(message: CommandMessage, handlers: CommandHandlers): Promise<ChildMessage> {
  const handler = handlers[message.command];
  if (!handler && message.command !== 'stop') {
    return { type: 'reply', id: message.id, error: `unknown command '${message.command}'` };
  }
  try {
    const result = handler ? await handler(message.payload) : null;
    return { type: 'reply', id: message.id, result: result ?? null };
  } catch (error) {
    return { type: 'reply', id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
}
