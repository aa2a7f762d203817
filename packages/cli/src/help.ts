/**
 * The help texts: `kopf help`, `kopf help <command>`, `kopf <command> --help`. The
 * options are rendered from the same declarations the parser uses, so the help
 * never lists an option that does not exist (or misses one that does).
 */
import { describeOptions, type OptionSpecs } from './arguments.js';
import { DEV_OPTIONS } from './developing.js';
import { GENERATE_CRD_OPTIONS, GENERATE_DEPLOYMENT_OPTIONS, GENERATE_RBAC_OPTIONS } from './generating.js';
import { FREEZE_OPTIONS, RESUME_OPTIONS } from './peering-commands.js';
import { RUN_OPTIONS } from './running.js';

const OVERVIEW = `Usage: kopf <command> [options]

Commands:
  run FILES...          Run an operator against the cluster of your kubeconfig.
  dev FILES...          Run an operator against a fake cluster, restarting it when its files change.
  generate crd          Print a CustomResourceDefinition skeleton.
  generate rbac FILES   Print least-privilege RBAC for an operator's handlers.
  generate deployment   Print a Deployment that runs the operator.
  freeze -P NAME -t S   Pause the operators of a peering for S seconds.
  resume -P NAME        Lift a freeze.
  version               Print the kopf-ts version.
  help [COMMAND]        Show this help, or a command's.

Every option can also come from the environment: KOPF_<COMMAND>_<OPTION>, e.g.
KOPF_RUN_NAMESPACE=default or KOPF_RUN_VERBOSE=1 (the command line wins).
`;

interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
  readonly options: OptionSpecs;
  readonly examples: readonly string[];
}

const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  run: {
    usage: 'kopf run [options] [FILES]...',
    summary:
      'Loads the operator files (TypeScript or JavaScript, no build step) and runs their handlers until\n' +
      'SIGINT or SIGTERM, then stops gracefully. Connects with the kubeconfig ($KUBECONFIG, ~/.kube/config)\n' +
      'or the pod service account.',
    options: RUN_OPTIONS,
    examples: [
      'kopf run operator.ts --verbose -A',
      'kopf run operator.ts -n default -n "team-*,!team-test"',
      'kopf run -m @acme/operator --standalone --log-format json',
    ],
  },
  dev: {
    usage: 'kopf dev [options] [FILES]...',
    summary:
      'Starts a fake Kubernetes API server on 127.0.0.1, writes a kubeconfig for kubectl, applies the\n' +
      'manifests (-f, or the *.yaml files next to the first operator file), and runs the operator against\n' +
      'it, restarting it whenever one of its files (or anything it imports in the project) changes.',
    options: DEV_OPTIONS,
    examples: [
      'kopf dev examples/01-minimal/operator.ts',
      'kopf dev operator.ts -f crd.yaml -f obj.yaml --port 0',
    ],
  },
  freeze: {
    usage: 'kopf freeze --peering NAME --lifetime SECONDS [options]',
    summary:
      'Pauses the operators of a peering for a while: writes a peer record with a high priority (default\n' +
      '100) into the peering object, so that every operator of a lower priority pauses until it expires\n' +
      'or `kopf resume` removes it.',
    options: FREEZE_OPTIONS,
    examples: ['kopf freeze -P default -t 600', 'kopf freeze -P default -n team-a -t 3600 -p 1000'],
  },
  resume: {
    usage: 'kopf resume --peering NAME [options]',
    summary: 'Lifts a freeze: removes the peer record that `kopf freeze` wrote (with the same --id).',
    options: RESUME_OPTIONS,
    examples: ['kopf resume -P default', 'kopf resume -P default -n team-a'],
  },
  'generate crd': {
    usage: 'kopf generate crd --group GROUP --kind KIND [options]',
    summary:
      'Prints a CustomResourceDefinition: spec and status keep unknown fields, status is a subresource.',
    options: GENERATE_CRD_OPTIONS,
    examples: ['kopf generate crd --group kopf.dev --kind KopfExample --version v1 -o crd.yaml'],
  },
  'generate rbac': {
    usage: 'kopf generate rbac [options] FILES...',
    summary:
      'Prints a ServiceAccount, the least-privilege (Cluster)Role for the handlers the operator registers,\n' +
      'and the bindings. Resources are resolved without a cluster: from the handlers, a table of built-in\n' +
      'resources, and the CRD manifests given with --crd.',
    options: GENERATE_RBAC_OPTIONS,
    examples: [
      'kopf generate rbac operator.ts --crd crd.yaml',
      'kopf generate rbac operator.ts --crd crd.yaml -n default --name my-operator -o rbac.yaml',
    ],
  },
  'generate deployment': {
    usage: 'kopf generate deployment [options] FILES...',
    summary: 'Prints a Deployment running "kopf run FILES" with the operator\'s service account.',
    options: GENERATE_DEPLOYMENT_OPTIONS,
    examples: ['kopf generate deployment operator.ts --image registry.example.com/my-operator:1.0 -A'],
  },
};

/** Whether the arguments ask for help (`-h`, `--help`) before any `--`. */
export function isHelpRequest(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '-h' || arg === '--help');
}

/** The help for `kopf help [command [sub-command]]`. */
export function helpText(words: readonly string[]): string {
  const [first, second] = words;
  const help = COMMANDS[`${first} ${second}`] ?? (first ? COMMANDS[first] : undefined);
  if (!help) {
    if (first === 'generate') return `${OVERVIEW.split('\n\n')[0]}\n\n${generateOverview()}`;
    return first && first !== 'version' && first !== 'help'
      ? `Unknown command '${first}'.\n\n${OVERVIEW}`
      : OVERVIEW;
  }
  const examples = help.examples.map((line) => `  ${line}`).join('\n');
  return `Usage: ${help.usage}\n\n${help.summary}\n\nOptions:\n${describeOptions(help.options)}\n\nExamples:\n${examples}\n`;
}

function generateOverview(): string {
  return [
    'Sub-commands of generate (kopf generate <what> --help for each):',
    '  crd',
    '  rbac',
    '  deployment',
    '',
  ].join('\n');
}
