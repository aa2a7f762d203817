/**
 * `kopf dev`: an operator against a fake cluster, no cluster needed. Starts the
 * fake Kubernetes API server of @kopf/testing on 127.0.0.1 (port 6443 when free),
 * writes a kubeconfig (`.kopf/kubeconfig`) and prints the one line to use it with
 * kubectl, applies the manifests, then runs the operator (see `generations.ts`),
 * restarting it when its files change, until Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { KubernetesObject } from '@kopf/core';
import { createApiClient } from '@kopf/k8s';
import { Cluster, type FakeApiServer, startFakeApiServerCli } from '@kopf/testing';
import {
  integerValue,
  listValue,
  type OptionSpecs,
  type OptionValues,
  parseArguments,
  stringValue,
} from './arguments.js';
import { CommandError, oneLine, UsageError } from './errors.js';
import { OperatorGenerations } from './generations.js';
import type { CommandContext } from './io.js';
import { display } from './loading.js';
import { LOG_OPTIONS, logOptionsToArgs } from './log-options.js';
import { chooseManifests, type ManifestChoice, readManifests } from './manifests.js';

/** The fake API server's port when it is free: kube-apiserver's usual one. */
export const DEFAULT_DEV_PORT = 6443;

/** The options of `kopf dev`. */
export const DEV_OPTIONS: OptionSpecs = {
  filename: {
    type: 'string',
    short: 'f',
    multiple: true,
    valueName: 'MANIFEST',
    description: 'Apply this YAML first (default: the *.yaml/*.yml next to the operator files).',
  },
  port: {
    type: 'string',
    valueName: 'N',
    description: `The fake API server's port (default: ${DEFAULT_DEV_PORT} if free, else any; 0: any).`,
  },
  kubeconfig: {
    type: 'string',
    valueName: 'PATH',
    description: 'Where to write the kubeconfig for kubectl (default: .kopf/kubeconfig).',
  },
  persist: {
    type: 'string',
    valueName: 'DIR',
    description: 'Keep the fake cluster (objects, token, CA) in this directory across runs.',
  },
  namespace: {
    type: 'string',
    short: 'n',
    multiple: true,
    valueName: 'PATTERN',
    description: 'Serve only these namespaces (default: all).',
  },
  module: {
    type: 'string',
    short: 'm',
    multiple: true,
    valueName: 'NAME',
    description: 'Also load this module.',
  },
  ...LOG_OPTIONS,
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

/** What `kopf dev` was asked to do. */
interface DevPlan {
  readonly files: readonly string[];
  readonly modules: readonly string[];
  readonly manifests: ManifestChoice;
  readonly objects: readonly KubernetesObject[];
  readonly kubeconfig: string;
  readonly port: number | undefined;
  /** Where the fake server keeps its state, if anywhere. */
  readonly persist: string | undefined;
  /** The arguments of each generation's `kopf run`. */
  readonly runArgs: readonly string[];
}

/** `kopf dev`: resolves to the exit code after Ctrl-C (SIGINT) or SIGTERM. */
export async function developCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArguments('dev', argv, DEV_OPTIONS, context.env);
  const plan = devPlanFrom(values, positionals, context);
  // Listen before anything starts: a Ctrl-C during start-up still stops cleanly.
  const signals = listenForSignals();
  try {
    await develop(plan, context, signals);
  } finally {
    signals.dispose();
  }
  return 0;
}

function devPlanFrom(values: OptionValues, files: readonly string[], context: CommandContext): DevPlan {
  const modules = listValue(values, 'module');
  if (files.length === 0 && modules.length === 0) {
    throw new UsageError('no operator given: name its files (kopf dev operator.ts) or modules (-m NAME).');
  }
  const manifests = chooseManifests(listValue(values, 'filename'), files, context.cwd);
  const kubeconfig = resolve(context.cwd, stringValue(values, 'kubeconfig') ?? '.kopf/kubeconfig');
  const namespaces = listValue(values, 'namespace');
  return {
    files,
    modules,
    manifests,
    objects: readManifests(manifests.files, context.cwd),
    kubeconfig,
    port: integerValue(values, 'port', { min: 0, max: 65535 }),
    persist: stringValue(values, 'persist'),
    runArgs: [
      ...files,
      ...modules.flatMap((name) => ['-m', name]),
      '--kubeconfig',
      kubeconfig,
      ...(namespaces.length > 0 ? namespaces.flatMap((pattern) => ['-n', pattern]) : ['-A']),
      ...logOptionsToArgs(values),
    ],
  };
}

async function develop(plan: DevPlan, context: CommandContext, signals: Signals): Promise<void> {
  const say = (line: string): void => context.output.out(`kopf dev: ${line}\n`);
  const { server, message } = await startServer(plan, await choosePort(plan.port), context.cwd);
  try {
    context.output.out(`${message}\n`);
    if (!signals.signalled) await applyManifests(server, plan, context, say);
    if (signals.signalled) return;
    const files = plan.files.map((file) => resolve(context.cwd, file));
    const generations = new OperatorGenerations({ args: plan.runArgs, files, context, say });
    signals.onRepeat(() => {
      say('Stopping now, without waiting.');
      generations.kill();
    });
    say('Running the operator; it restarts when its files change. Ctrl-C to stop.');
    generations.start();
    await signals.first;
    say('Stopping the operator and the fake API server.');
    await generations.close();
  } finally {
    await server.stop();
  }
}

/** The explicit port, else 6443 when free, else 0 (any free port). */
async function choosePort(explicit: number | undefined): Promise<number> {
  if (explicit !== undefined) return explicit;
  return (await isPortFree(DEFAULT_DEV_PORT)) ? DEFAULT_DEV_PORT : 0;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });
}

async function startServer(
  plan: DevPlan,
  port: number,
  cwd: string,
): Promise<{ server: FakeApiServer; message: string }> {
  try {
    mkdirSync(dirname(plan.kubeconfig), { recursive: true });
    const persist = plan.persist !== undefined ? { persist: resolve(cwd, plan.persist) } : {};
    return await startFakeApiServerCli({ kubeconfig: plan.kubeconfig, port, host: '127.0.0.1', ...persist });
  } catch (error) {
    throw new CommandError(`Starting the fake API server on 127.0.0.1:${port} failed: ${oneLine(error)}`, {
      cause: error,
    });
  }
}

async function applyManifests(
  server: FakeApiServer,
  plan: DevPlan,
  context: CommandContext,
  say: (line: string) => void,
): Promise<void> {
  const { manifests, objects } = plan;
  if (manifests.files.length === 0) {
    if (manifests.discovered) say('No *.yaml next to the operator files; apply your objects with kubectl.');
    return;
  }
  const client = await createApiClient({
    connection: { server: server.url, caData: server.caData, token: server.token },
  });
  try {
    await new Cluster(client).apply(objects);
  } catch (error) {
    throw new CommandError(`Applying the manifests failed: ${oneLine(error)}`, { cause: error });
  } finally {
    client.close();
  }
  const shown = (file: string): string => display(resolve(context.cwd, file), context.cwd);
  const names = manifests.files.map(shown).join(', ');
  const origin = manifests.discovered
    ? ` (found next to ${plan.files.map(shown).join(', ')}; -f to choose)`
    : '';
  say(`Applied ${objects.length} object(s) from ${names}${origin}.`);
}

/** SIGINT/SIGTERM: `first` resolves on the first; later ones call the `onRepeat` callback. */
interface Signals {
  readonly first: Promise<void>;
  readonly signalled: boolean;
  onRepeat(callback: () => void): void;
  dispose(): void;
}

function listenForSignals(): Signals {
  let signalled = false;
  let repeat: () => void = () => {};
  let resolveFirst: () => void = () => {};
  const first = new Promise<void>((resolveSignal) => {
    resolveFirst = resolveSignal;
  });
  const onSignal = (): void => {
    if (signalled) {
      repeat();
      return;
    }
    signalled = true;
    resolveFirst();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    first,
    get signalled() {
      return signalled;
    },
    onRepeat: (callback) => {
      repeat = callback;
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
