/**
 * `kopf freeze` and `kopf resume`, as Kopf has them: a person (or a script) pauses
 * the operators of a peering for a while by writing a peer record with a high
 * priority (`freeze`), and lifts it by removing the record (`resume`). The records
 * themselves are the reactor's `freezeOperators`/`resumeOperators`; this module
 * reads the command line, connects, and reports in one line.
 */
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { freezeOperators, resumeOperators } from '@kopf/reactor';
import {
  flagValue,
  integerValue,
  listValue,
  type OptionSpecs,
  type OptionValues,
  parseArguments,
  stringValue,
} from './arguments.js';
import { CONNECTION_OPTIONS, clientOptionsOf, connectionChoiceFrom } from './connecting.js';
import { CommandError, oneLine, UsageError } from './errors.js';
import type { CommandContext } from './io.js';

const SHARED: OptionSpecs = {
  peering: {
    type: 'string',
    short: 'P',
    valueName: 'NAME',
    description: 'The peering object of the operators (required).',
  },
  namespace: {
    type: 'string',
    short: 'n',
    multiple: true,
    valueName: 'NAME',
    description: 'The namespaces of namespaced operators (their KopfPeering objects).',
  },
  'all-namespaces': {
    type: 'boolean',
    short: 'A',
    description: 'Cluster-wide operators (the ClusterKopfPeering object; the default).',
  },
  id: {
    type: 'string',
    short: 'i',
    valueName: 'ID',
    description: 'The record identity (default: user@host).',
  },
  ...CONNECTION_OPTIONS,
};

/** The options of `kopf freeze`. */
export const FREEZE_OPTIONS: OptionSpecs = {
  ...SHARED,
  lifetime: {
    type: 'string',
    short: 't',
    valueName: 'SECONDS',
    description: 'How long the freeze lasts (required).',
  },
  priority: {
    type: 'string',
    short: 'p',
    valueName: 'N',
    description: 'The priority of the freeze; operators below it pause (default: 100).',
  },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

/** The options of `kopf resume`. */
export const RESUME_OPTIONS: OptionSpecs = {
  ...SHARED,
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

interface Target {
  readonly peering: string;
  readonly namespaces: readonly string[] | undefined;
  readonly identity: string | undefined;
}

function targetOf(values: OptionValues): Target {
  const peering = stringValue(values, 'peering');
  if (!peering) throw new UsageError('--peering NAME is required: the peering object of the operators.');
  const namespaces = listValue(values, 'namespace');
  if (namespaces.length > 0 && flagValue(values, 'all-namespaces')) {
    throw new UsageError('--all-namespaces (-A) and --namespace (-n) exclude each other; pass one of them.');
  }
  return {
    peering,
    namespaces: namespaces.length > 0 ? namespaces : undefined,
    identity: stringValue(values, 'id'),
  };
}

function describe(target: Target): string {
  const where = target.namespaces ? `in ${target.namespaces.join(', ')}` : 'cluster-wide';
  return `the operators of the peering '${target.peering}' ${where}`;
}

async function withClient(values: OptionValues, act: (client: HttpClient) => Promise<void>): Promise<void> {
  const choice = connectionChoiceFrom(values);
  let client: HttpClient;
  try {
    client = await createApiClient({ ...clientOptionsOf(choice), errorBackoffs: [1, 2], requestTimeout: 15 });
  } catch (error) {
    throw new CommandError(oneLine(error), { cause: error });
  }
  try {
    await act(client);
  } catch (error) {
    throw new CommandError(oneLine(error), { cause: error });
  } finally {
    client.close();
  }
}

/** `kopf freeze`: pauses the operators of a peering for `--lifetime` seconds. */
export async function freezeCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArguments('freeze', argv, FREEZE_OPTIONS, context.env);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'.`);
  const target = targetOf(values);
  const lifetime = integerValue(values, 'lifetime', { min: 1 });
  if (lifetime === undefined)
    throw new UsageError('--lifetime SECONDS is required: how long the freeze lasts.');
  const priority = integerValue(values, 'priority') ?? 100;
  await withClient(values, (client) => freezeOperators(client, { ...target, lifetime, priority }));
  context.output.out(`Froze ${describe(target)} for ${lifetime} s (priority ${priority}).\n`);
  return 0;
}

/** `kopf resume`: lifts a freeze of the operators of a peering. */
export async function resumeCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArguments('resume', argv, RESUME_OPTIONS, context.env);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'.`);
  const target = targetOf(values);
  await withClient(values, (client) => resumeOperators(client, target));
  context.output.out(`Resumed ${describe(target)}.\n`);
  return 0;
}
