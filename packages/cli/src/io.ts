/**
 * What a command talks to: its output streams, the environment and the working
 * directory. Injected so that commands run in-process under a test as they do
 * from the `kopf` binary.
 */

/** Writes to stdout/stderr; injectable for tests. */
export interface Output {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
}

/** A command's surroundings. */
export interface CommandContext {
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The process's own stdout and stderr. */
export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The process's own surroundings. */
export function processContext(output: Output = processOutput): CommandContext {
  return { output, env: process.env, cwd: process.cwd() };
}
