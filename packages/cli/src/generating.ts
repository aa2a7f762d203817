/**
 * `kopf generate crd|rbac|deployment`: prints YAML manifests for running an
 * operator in a cluster (or writes them with `-o FILE`). `rbac` loads the operator's
 * files and derives least-privilege rules from the handlers they register; the
 * others need no files loaded. The manifests themselves are built by pure modules.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KubernetesObject } from '@kopf/core';
import { specificNamespaces } from '@kopf/k8s';
import { stringify } from 'yaml';
import {
  flagValue,
  listValue,
  type OptionSpecs,
  type OptionValues,
  parseArguments,
  stringValue,
} from './arguments.js';
import { crdManifest } from './crd-manifests.js';
import { deploymentManifest } from './deployment-manifests.js';
import { UsageError } from './errors.js';
import type { CommandContext } from './io.js';
import { display, loadOperator } from './loading.js';
import { readManifests } from './manifests.js';
import { rbacManifests } from './rbac-manifests.js';
import { type NamespaceScope, operatorNeeds, rbacRules } from './rbac-rules.js';
import { knownResourcesOf, ResourceCatalog } from './resource-catalog.js';
import { peeringChoiceFrom } from './running.js';

const OUTPUT: OptionSpecs = {
  output: {
    type: 'string',
    short: 'o',
    valueName: 'FILE',
    description: 'Write to this file instead of stdout.',
  },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

const OPERATOR: OptionSpecs = {
  name: {
    type: 'string',
    valueName: 'NAME',
    description: 'Name of the ServiceAccount, roles, Deployment (default: kopf-operator).',
  },
  'operator-namespace': {
    type: 'string',
    valueName: 'NS',
    description: 'Where the operator itself runs (default: default).',
  },
  namespace: {
    type: 'string',
    short: 'n',
    multiple: true,
    valueName: 'PATTERN',
    description: 'The namespaces the operator serves, as for kopf run (plain names get Roles).',
  },
  'all-namespaces': {
    type: 'boolean',
    short: 'A',
    description: 'The operator serves the whole cluster (default).',
  },
};

/** Where the generated Deployment serves its liveness endpoint, unless told otherwise. */
export const DEFAULT_LIVENESS = 'http://0.0.0.0:8080/healthz';

/** The options of `kopf generate crd`. */
export const GENERATE_CRD_OPTIONS: OptionSpecs = {
  group: { type: 'string', valueName: 'GROUP', description: 'The API group, e.g. kopf.dev (required).' },
  kind: { type: 'string', valueName: 'KIND', description: 'The kind, e.g. KopfExample (required).' },
  version: { type: 'string', valueName: 'VERSION', description: 'The version (default: v1).' },
  plural: { type: 'string', valueName: 'NAME', description: 'The plural (default: from the kind).' },
  singular: {
    type: 'string',
    valueName: 'NAME',
    description: 'The singular (default: the kind in lower case).',
  },
  'short-name': { type: 'string', multiple: true, valueName: 'NAME', description: 'A short name, e.g. kex.' },
  namespaced: { type: 'boolean', description: 'Objects live in namespaces (default).' },
  cluster: { type: 'boolean', description: 'Objects are cluster-scoped.' },
  ...OUTPUT,
};

/** The options of `kopf generate rbac`. */
export const GENERATE_RBAC_OPTIONS: OptionSpecs = {
  crd: {
    type: 'string',
    multiple: true,
    valueName: 'FILE',
    description: 'CRD manifests, to resolve custom resources by name, kind or short name.',
  },
  module: {
    type: 'string',
    short: 'm',
    multiple: true,
    valueName: 'NAME',
    description: 'Also load this module.',
  },
  ...OPERATOR,
  standalone: {
    type: 'boolean',
    description: 'The operator runs with --standalone: no grants for peering objects.',
  },
  ...OUTPUT,
};

/** The options of `kopf generate deployment`. */
export const GENERATE_DEPLOYMENT_OPTIONS: OptionSpecs = {
  image: {
    type: 'string',
    valueName: 'IMAGE',
    description: 'The container image with the project (required).',
  },
  workdir: {
    type: 'string',
    valueName: 'DIR',
    description: 'The project directory in the image (default: /app).',
  },
  ...OPERATOR,
  standalone: { type: 'boolean', description: 'Pass --standalone to kopf run (no peering).' },
  peering: { type: 'string', short: 'P', valueName: 'NAME', description: 'Pass --peering NAME to kopf run.' },
  priority: { type: 'string', short: 'p', valueName: 'N', description: 'Pass --priority N to kopf run.' },
  liveness: {
    type: 'string',
    short: 'L',
    valueName: 'URL',
    description: `Serve and probe liveness here (default: ${DEFAULT_LIVENESS}; none: no probe).`,
  },
  ...OUTPUT,
};

type Generator = (
  values: OptionValues,
  positionals: readonly string[],
  context: CommandContext,
) => Promise<KubernetesObject[]>;

const GENERATORS: Readonly<Record<string, { options: OptionSpecs; generate: Generator }>> = {
  crd: { options: GENERATE_CRD_OPTIONS, generate: async (values) => [crdOf(values)] },
  rbac: { options: GENERATE_RBAC_OPTIONS, generate: rbacOf },
  deployment: {
    options: GENERATE_DEPLOYMENT_OPTIONS,
    generate: async (values, files) => [deploymentOf(values, files)],
  },
};

/** `kopf generate <what>`: prints (or writes) the manifests; resolves to the exit code. */
export async function generateCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const [what, ...rest] = argv;
  const generator = what ? GENERATORS[what] : undefined;
  if (!generator) {
    const given = what ? `cannot generate '${what}'` : 'say what to generate';
    throw new UsageError(`${given}: crd, rbac or deployment.`);
  }
  const { values, positionals } = parseArguments(`generate ${what}`, rest, generator.options, context.env);
  const objects = await generator.generate(values, positionals, context);
  const yaml = objects
    .map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
  const output = stringValue(values, 'output');
  if (output === undefined) {
    context.output.out(yaml);
  } else {
    const path = resolve(context.cwd, output);
    writeFileSync(path, yaml);
    context.output.out(`Wrote ${objects.length} object(s) to ${display(path, context.cwd)}.\n`);
  }
  return 0;
}

function crdOf(values: OptionValues): KubernetesObject {
  const group = stringValue(values, 'group');
  const kind = stringValue(values, 'kind');
  if (!group || !kind)
    throw new UsageError('--group and --kind are required, e.g. --group kopf.dev --kind KopfExample.');
  if (flagValue(values, 'namespaced') && flagValue(values, 'cluster')) {
    throw new UsageError('--namespaced and --cluster exclude each other.');
  }
  const optional = (name: string) => stringValue(values, name);
  return crdManifest({
    group,
    kind,
    namespaced: !flagValue(values, 'cluster'),
    shortNames: listValue(values, 'short-name'),
    ...(optional('version') ? { version: optional('version') } : {}),
    ...(optional('plural') ? { plural: optional('plural') } : {}),
    ...(optional('singular') ? { singular: optional('singular') } : {}),
  });
}

async function rbacOf(
  values: OptionValues,
  files: readonly string[],
  context: CommandContext,
): Promise<KubernetesObject[]> {
  const modules = listValue(values, 'module');
  if (files.length === 0 && modules.length === 0) {
    throw new UsageError(
      'no operator given: name its files (kopf generate rbac operator.ts) or modules (-m NAME).',
    );
  }
  const crds = readManifests(
    listValue(values, 'crd').map((file) => resolve(context.cwd, file)),
    context.cwd,
  );
  const catalog = new ResourceCatalog(knownResourcesOf(crds));
  const { registry } = await loadOperator({ files, modules, cwd: context.cwd });
  const namespaces = scopeOf(values);
  const needs = operatorNeeds(registry, catalog, { namespaces, peering: !flagValue(values, 'standalone') });
  return rbacManifests(rbacRules(needs), {
    name: stringValue(values, 'name') ?? 'kopf-operator',
    namespace: stringValue(values, 'operator-namespace') ?? 'default',
    servedNamespaces: namespaces.kind === 'names' ? namespaces.names : [],
  });
}

function deploymentOf(values: OptionValues, files: readonly string[]): KubernetesObject {
  const image = stringValue(values, 'image');
  if (!image) throw new UsageError('--image is required: the container image holding the operator project.');
  if (files.length === 0)
    throw new UsageError('no operator given: name its files as paths inside the image.');
  const scope = scopeOf(values);
  const { standalone, name, priority } = peeringChoiceFrom(values);
  const runArgs = [
    ...files,
    ...(scope.kind === 'cluster'
      ? ['--all-namespaces']
      : listValue(values, 'namespace').flatMap((p) => ['-n', p])),
    ...(standalone ? ['--standalone'] : []),
    ...(name !== undefined ? ['--peering', name] : []),
    ...(priority !== undefined ? ['--priority', String(priority)] : []),
  ];
  const liveness = stringValue(values, 'liveness') ?? DEFAULT_LIVENESS;
  const workdir = stringValue(values, 'workdir');
  return deploymentManifest({
    name: stringValue(values, 'name') ?? 'kopf-operator',
    namespace: stringValue(values, 'operator-namespace') ?? 'default',
    image,
    runArgs,
    ...(liveness !== 'none' ? { liveness } : {}),
    ...(workdir ? { workdir } : {}),
  });
}

function scopeOf(values: OptionValues): NamespaceScope {
  const patterns = listValue(values, 'namespace');
  if (patterns.length > 0 && flagValue(values, 'all-namespaces')) {
    throw new UsageError('--all-namespaces (-A) and --namespace (-n) exclude each other; pass one of them.');
  }
  if (patterns.length === 0) return { kind: 'cluster' };
  const names = specificNamespaces(patterns);
  return names.length === patterns.length ? { kind: 'names', names } : { kind: 'patterns' };
}
