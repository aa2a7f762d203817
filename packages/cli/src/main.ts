/**
 * The `kopf` command line: parses the sub-command and dispatches to it. Each
 * sub-command lives in its own module; this one only routes and reports usage
 * errors in one line, never with a stack trace.
 */
import { version } from './version.js';

const USAGE = `Usage: kopf <command> [options]

Commands:
  version          Print the kopf-ts version.
  help             Show this help.
`;

/** Writes to stdout/stderr; injectable for tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Runs the `kopf` command with the given arguments (without `node` and the script)
 * and resolves to the process exit code.
 */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'version':
    case '--version':
      output.out(`kopf-ts ${version}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      output.out(USAGE);
      return 0;
    default:
      output.err(`kopf: unknown command '${command}'. Run 'kopf help' for the list.\n`);
      return 2;
  }
}
