/**
 * The `kopf` command line: routes to the sub-command and turns whatever it throws
 * into one line on stderr and an exit code (1 for failures, 2 for usage errors),
 * never a stack trace. Each sub-command lives in its own module.
 */
import { developCommand } from './developing.js';
import { CommandError, oneLine } from './errors.js';
import { generateCommand } from './generating.js';
import { helpText, isHelpRequest } from './help.js';
import { type CommandContext, type Output, processContext, processOutput } from './io.js';
import { freezeCommand, resumeCommand } from './peering-commands.js';
import { runCommand } from './running.js';
import { version } from './version.js';

export type { Output } from './io.js';

type Command = (argv: readonly string[], context: CommandContext) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  run: runCommand,
  dev: developCommand,
  generate: generateCommand,
  freeze: freezeCommand,
  resume: resumeCommand,
  version: async (_argv, context) => {
    context.output.out(`kopf-ts ${version}\n`);
    return 0;
  },
  help: async (argv, context) => {
    context.output.out(helpText(argv));
    return 0;
  },
};

/**
 * Runs the `kopf` command with the given arguments (without `node` and the script)
 * and resolves to the process exit code.
 *
 * @example
 * process.exitCode = await main(['run', 'operator.ts', '--verbose']);
 */
export async function main(
  argv: readonly string[],
  output: Output = processOutput,
  context: CommandContext = processContext(output),
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return COMMANDS.help!([], context);
  if (name === '--version') return COMMANDS.version!([], context);
  const command = COMMANDS[name];
  if (!command) {
    output.err(`kopf: unknown command '${name}'. Run 'kopf help' for the list.\n`);
    return 2;
  }
  if (name !== 'help' && isHelpRequest(rest))
    return COMMANDS.help!([name, ...rest.filter((a) => !a.startsWith('-'))], context);
  try {
    return await command(rest, context);
  } catch (error) {
    const where = name === 'generate' && rest[0] && !rest[0].startsWith('-') ? `generate ${rest[0]}` : name;
    output.err(`kopf ${where}: ${oneLine(error)}\n`);
    return error instanceof CommandError ? error.exitCode : 1;
  }
}
