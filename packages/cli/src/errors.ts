/**
 * The errors a `kopf` command ends with. Each carries the process exit code and a
 * one-line message that names the failed step, the object and the fix; `main`
 * prints it after the command's name and never shows a stack trace. Anything else
 * thrown is a bug in kopf-ts and is reported in one line too.
 */

/** A command failed: the cluster, a file or the operator could not do what was asked (exit code 1). */
export class CommandError extends Error {
  override name = 'CommandError';
  /** The process exit code: 1 for failures, 2 for usage errors. */
  readonly exitCode: 1 | 2 = 1;
}

/** The command line itself is wrong: an unknown option, a bad value, a conflict (exit code 2). */
export class UsageError extends CommandError {
  override name = 'UsageError';
  override readonly exitCode = 2;
}

/** The message of anything thrown, on one line (the first line of a multi-line message). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim();
}
