/**
 * One kubectl binary driving one fake API server: a private kubeconfig, a fresh
 * `--cache-dir` and HOME, commands run to completion (`run`, `ok`) or in the background
 * (`spawn`, for `get -w`, `wait` and `delete --wait`) with their output awaited by pattern,
 * never by sleeping.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeApiServer, KubeconfigOptions } from '@kopf/testing';
import type { KubectlBinary } from '../support/kubectl.js';

/** What a finished kubectl command left behind. */
export interface KubectlResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A kubectl command left running. */
export interface BackgroundKubectl {
  /** Resolves with the output so far once `pattern` appears in stdout; rejects after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the command exits. */
  readonly exited: Promise<KubectlResult>;
  /** Ends the command (if still running) and waits for it. */
  stop(): Promise<KubectlResult>;
}

const COMMAND_TIMEOUT_MS = 60_000;

/** A kubectl binary bound to a server, with its own kubeconfig, HOME and cache dir. */
export class KubectlSession {
  private readonly running = new Set<ChildProcess>();

  private constructor(
    readonly binary: KubectlBinary,
    private readonly directory: string,
  ) {}

  /** Writes a kubeconfig for `server` (the admin's unless `kubeconfig` says otherwise) into a fresh temporary directory. */
  static async open(
    binary: KubectlBinary,
    server: FakeApiServer,
    kubeconfig: KubeconfigOptions = {},
  ): Promise<KubectlSession> {
    const directory = await mkdtemp(join(tmpdir(), `kopf-kubectl-${binary.version}-`));
    await server.writeKubeconfig(join(directory, 'kubeconfig'), kubeconfig);
    return new KubectlSession(binary, directory);
  }

  /** Runs `kubectl args…` to completion; never throws for a non-zero exit. */
  run(args: readonly string[], input?: string): Promise<KubectlResult> {
    return this.spawn(args, input).exited;
  }

  /** Runs `kubectl args…` and returns stdout; throws with the command's stderr if it fails. */
  async ok(args: readonly string[], input?: string): Promise<string> {
    const result = await this.run(args, input);
    if (result.code !== 0) {
      throw new Error(
        `kubectl ${this.binary.version} (${this.binary.source}) ${args.join(' ')} exited ${result.code}:\n` +
          `${result.stderr}${result.stdout}`,
      );
    }
    return result.stdout;
  }

  /** Starts `kubectl args…` in the background. */
  spawn(args: readonly string[], input?: string): BackgroundKubectl {
    const child = spawn(this.binary.path, ['--cache-dir', join(this.directory, 'cache'), ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: this.directory,
        KUBECONFIG: join(this.directory, 'kubeconfig'),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.running.add(child);
    let stdout = '';
    let stderr = '';
    const listeners = new Set<() => void>();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const listener of listeners) listener();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.end(input ?? '');
    const deadline = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    const exited = new Promise<KubectlResult>((resolve) => {
      child.on('close', (code) => {
        clearTimeout(deadline);
        this.running.delete(child);
        resolve({ code, stdout, stderr });
      });
    });
    const waitForOutput = (pattern: RegExp, timeoutMs = 20_000): Promise<string> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(stdout)) return;
          cleanup();
          resolve(stdout);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `kubectl ${args.join(' ')} printed no ${pattern} in ${timeoutMs} ms:\n${stdout}${stderr}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    const stop = (): Promise<KubectlResult> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    };
    return { waitForOutput, exited, stop };
  }

  /** Ends whatever still runs and removes the temporary directory. */
  async close(): Promise<void> {
    for (const child of this.running) child.kill('SIGKILL');
    await rm(this.directory, { recursive: true, force: true });
  }
}
