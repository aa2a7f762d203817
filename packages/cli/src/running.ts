/**
 * `kopf run`: loads the operator's files, checks that the cluster answers, then
 * runs the operator until SIGINT/SIGTERM and stops it gracefully (exit code 0).
 * The options are Kopf's (plus `--metrics`, which the engine offers), read from the
 * command line or `KOPF_RUN_*` variables, and passed to the reactor's `Operator`.
 */
import type { NamespacePattern, RequestInfo } from '@kopf/k8s';
import { type LogRecord, type LogSink, Operator, type OperatorOptions } from '@kopf/reactor';
import {
  flagValue,
  integerValue,
  listValue,
  type OptionSpecs,
  type OptionValues,
  parseArguments,
  stringValue,
} from './arguments.js';
import {
  CONNECTION_OPTIONS,
  type ConnectionChoice,
  checkCluster,
  clientOptionsOf,
  connectionChoiceFrom,
} from './connecting.js';
import { reportImported } from './dev-protocol.js';
import { CommandError, oneLine, UsageError } from './errors.js';
import type { CommandContext } from './io.js';
import { LoadError, loadOperator } from './loading.js';
import { cliRecord, createLogSink, LOG_OPTIONS, type LogOptions, logOptionsFrom } from './log-options.js';
import { StopRequests } from './stop-requests.js';

/** The options of `kopf run`. */
export const RUN_OPTIONS: OptionSpecs = {
  namespace: {
    type: 'string',
    short: 'n',
    multiple: true,
    valueName: 'PATTERN',
    description: 'Serve these namespaces: names, globs (*, ?), !exclusions, comma-separated lists.',
  },
  'all-namespaces': { type: 'boolean', short: 'A', description: 'Serve the whole cluster.' },
  module: {
    type: 'string',
    short: 'm',
    multiple: true,
    valueName: 'NAME',
    description: 'Also load this module (resolved from the current directory).',
  },
  standalone: { type: 'boolean', description: 'Run without peering (no coordination with other operators).' },
  peering: {
    type: 'string',
    short: 'P',
    valueName: 'NAME',
    description:
      'Peer through this peering object, and pause until it exists (default: "default", if it exists).',
  },
  priority: {
    type: 'string',
    short: 'p',
    valueName: 'N',
    description: 'The priority among peers: higher ones run, lower ones pause (default: 0).',
  },
  liveness: {
    type: 'string',
    short: 'L',
    valueName: 'URL',
    description: 'Serve liveness (and /readyz) at this URL, e.g. http://0.0.0.0:8080/healthz.',
  },
  metrics: {
    type: 'string',
    valueName: 'URL',
    description: 'Serve Prometheus metrics at this URL, e.g. http://0.0.0.0:9090/metrics.',
  },
  ...CONNECTION_OPTIONS,
  ...LOG_OPTIONS,
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

/** What `kopf run` was asked to do. */
export interface RunPlan {
  readonly files: readonly string[];
  readonly modules: readonly string[];
  /** `undefined`: the whole cluster. */
  readonly namespaces: readonly NamespacePattern[] | undefined;
  /** Neither -A nor -n: cluster-wide, with a warning. */
  readonly implicitClusterwide: boolean;
  readonly peering: PeeringChoice;
  /** The liveness and metrics endpoints' URLs. */
  readonly liveness: string | undefined;
  readonly metrics: string | undefined;
  readonly connection: ConnectionChoice;
  readonly log: LogOptions;
}

/** How the operator peers: not at all, through a named peering object, or Kopf's automatic way. */
export interface PeeringChoice {
  readonly standalone: boolean;
  /** The peering object's name (peering is then mandatory). */
  readonly name: string | undefined;
  readonly priority: number | undefined;
}

/**
 * Reads the peering options (shared by `kopf run` and `kopf generate`).
 *
 * @throws UsageError for `--standalone` with `--peering`, or a priority that is not an integer.
 */
export function peeringChoiceFrom(values: OptionValues): PeeringChoice {
  const standalone = flagValue(values, 'standalone');
  const name = stringValue(values, 'peering');
  if (standalone && name !== undefined) {
    throw new UsageError('--standalone and --peering exclude each other; pass one of them.');
  }
  return { standalone, name, priority: integerValue(values, 'priority') };
}

/**
 * Reads and checks the options of `kopf run`.
 *
 * @throws UsageError for conflicting options and bad values.
 */
export function runPlanFrom(values: OptionValues, positionals: readonly string[]): RunPlan {
  const patterns = listValue(values, 'namespace').filter((pattern) => pattern.trim() !== '');
  const all = flagValue(values, 'all-namespaces');
  if (all && patterns.length > 0) {
    throw new UsageError('--all-namespaces (-A) and --namespace (-n) exclude each other; pass one of them.');
  }
  const files = positionals;
  const modules = listValue(values, 'module');
  if (files.length === 0 && modules.length === 0) {
    throw new UsageError('no operator given: name its files (kopf run operator.ts) or modules (-m NAME).');
  }
  return {
    files,
    modules,
    namespaces: patterns.length > 0 ? patterns : undefined,
    implicitClusterwide: !all && patterns.length === 0,
    peering: peeringChoiceFrom(values),
    liveness: stringValue(values, 'liveness'),
    metrics: stringValue(values, 'metrics'),
    connection: connectionChoiceFrom(values),
    log: logOptionsFrom(values),
  };
}

/** `kopf run`: resolves to the exit code once the operator has stopped. */
export async function runCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArguments('run', argv, RUN_OPTIONS, context.env);
  const plan = runPlanFrom(values, positionals);
  const sink = createLogSink(plan.log, { write: (text: string) => context.output.err(text) });
  const stops = new StopRequests(context.env, (signal) => {
    sink.write(cliRecord('warning', `Signal ${signal} is received again. Exiting without waiting.`));
    process.exit(1);
  });
  try {
    const loaded = await loadReporting(plan, context);
    if (plan.implicitClusterwide) {
      sink.write(
        cliRecord(
          'warning',
          'Neither --namespace nor --all-namespaces is given: serving the whole cluster. ' +
            'Pass -A to say so, or -n NAME to serve some namespaces.',
        ),
      );
    }
    if (loaded.registry.activityHandlers('authentication').length === 0) {
      const server = await checkCluster(plan.connection);
      sink.write(cliRecord('debug', `The cluster at ${server} answers.`));
    }
    if (stops.reason !== undefined) return 0;
    await serve(new Operator(operatorOptions(plan, loaded.registry, sink)), sink, stops);
    return 0;
  } finally {
    stops.dispose();
  }
}

async function loadReporting(plan: RunPlan, context: CommandContext): ReturnType<typeof loadOperator> {
  try {
    const loaded = await loadOperator({ files: plan.files, modules: plan.modules, cwd: context.cwd });
    reportImported(context.env, loaded.imported);
    return loaded;
  } catch (error) {
    if (error instanceof LoadError) reportImported(context.env, error.imported);
    throw error;
  }
}

/** The reactor's options for a plan. */
export function operatorOptions(
  plan: RunPlan,
  registry: OperatorOptions['registry'],
  sink: LogSink,
): OperatorOptions {
  const { standalone, name, priority } = plan.peering;
  const onRequest = plan.log.requests
    ? { onRequest: (info: RequestInfo) => sink.write(requestRecord(info)) }
    : {};
  return {
    registry,
    logs: sink,
    ...(plan.namespaces ? { namespaces: plan.namespaces } : {}),
    ...(standalone ? { standalone } : {}),
    ...(name !== undefined ? { peering: name } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(plan.liveness !== undefined ? { liveness: plan.liveness } : {}),
    ...(plan.metrics !== undefined ? { metrics: plan.metrics } : {}),
    connection: { ...clientOptionsOf(plan.connection), ...onRequest },
  };
}

/** A `--debug` line about one HTTP attempt of the operator's client. */
function requestRecord(info: RequestInfo): LogRecord {
  const outcome = info.status ?? info.error ?? '?';
  const retry = info.retryIn !== undefined ? `; retrying in ${info.retryIn} s` : '';
  const message = `${info.method} ${info.path} → ${outcome} (${info.duration.toFixed(3)} s${retry})`;
  return { ...cliRecord('debug', message), logger: 'kopf.http' };
}

/**
 * Starts the operator and waits for a stop request, then stops it gracefully; the
 * settings' `process.ultimateExitingTimeout` bounds the graceful stop.
 */
async function serve(operator: Operator, sink: LogSink, stops: StopRequests): Promise<void> {
  let starting: Promise<void> = Promise.resolve();
  const stopped = new Promise<void>((resolve) => {
    stops.onRequest((reason) => {
      sink.write(cliRecord('info', reason));
      armUltimateExit(operator, sink);
      void starting
        .catch(() => undefined)
        .then(() => operator.stop())
        .then(resolve, resolve);
    });
  });
  starting = operator.start();
  await starting.catch((error: unknown) => {
    throw new CommandError(`Starting the operator failed: ${oneLine(error)}`, { cause: error });
  });
  await stopped;
}

function armUltimateExit(operator: Operator, sink: LogSink): void {
  const timeout = operator.settings.process.ultimateExitingTimeout;
  if (timeout === undefined) return;
  const timer = setTimeout(() => {
    sink.write(cliRecord('error', `The operator did not stop within ${timeout} s. Exiting forcibly.`));
    process.exit(1);
  }, timeout * 1000);
  timer.unref();
}
