/**
 * Which watchers run: one per served resource and namespace. Resources come from
 * discovery (re-done when CRDs appear or go away, so an operator started before its
 * CRD starts serving it once it is created), namespaces from the operator's patterns
 * (followed as namespaces come and go). Watchers are started and stopped to match.
 * With peering, one peering task per namespace (or one cluster-wide) runs beside
 * them; while the operator is paused, the resource watchers are stopped, and
 * started again (listing anew) when it resumes.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Logger,
  type Registry,
  type Resource,
  type ResourceSelector,
  selectorDescription,
} from '@kopf/core';
import {
  type ApiClient,
  discoverResources,
  isSpecific,
  type NamespacePattern,
  observeNamespaces,
  observeResources,
  selectResources,
  specificNamespaces,
} from '@kopf/k8s';

/** One watcher's target. */
export interface WatchTarget {
  readonly resource: Resource;
  /** `undefined`: cluster-wide, or a cluster-scoped resource. */
  readonly namespace: string | undefined;
}

export interface OrchestrationOptions {
  readonly client: ApiClient;
  readonly registry: Registry;
  /** Namespace patterns; `undefined` watches the whole cluster. */
  readonly namespaces: readonly NamespacePattern[] | undefined;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Runs one watcher until its signal aborts; `matches` tells which selectors resolved to its resource. */
  readonly run: (
    target: WatchTarget,
    matches: (selector: ResourceSelector) => boolean,
    signal: AbortSignal,
  ) => Promise<void>;
  /** Called after every reconciliation with the targets now watched (for readiness); not while paused. */
  readonly onTargets?: (targets: readonly WatchTarget[]) => void;
  /** While this reports true, no resource watchers run. */
  readonly paused?: PauseState;
  /** Peering tasks, when peering is enabled. */
  readonly peering?: PeeringPlan;
  /**
   * Follow CRDs and namespaces as they come and go (the default). Off (Kopf's
   * `scanning.disabled`): resources are discovered once, and only the namespaces
   * named exactly are served, for operators whose RBAC allows no more.
   */
  readonly scanning?: boolean;
}

/** The operator's pause, as orchestration follows it. */
export interface PauseState {
  readonly isOn: boolean;
  /** Calls `listener` when the pause begins or ends; returns the unsubscriber. */
  onChange(listener: (on: boolean) => void): () => void;
}

/** How peering runs beside the watchers. */
export interface PeeringPlan {
  /** The discovered resource holding the peering objects, if served. */
  readonly select: (resources: readonly Resource[]) => Resource | undefined;
  /** Runs the peering of one namespace (or cluster-wide) until the signal aborts. */
  readonly run: (resource: Resource, namespace: string | undefined, signal: AbortSignal) => Promise<void>;
  /** Told whether the peering resource is missing, after every discovery. */
  readonly missing: (missing: boolean) => void;
}

/** `kopfexamples.v1.kopf.dev` or `pods.v1`: a resource's identity. */
export function resourceKey(resource: Resource): string {
  return `${resource.plural}.${resource.version}.${resource.group}`;
}

/** A target's identity: its resource and namespace. */
export function targetKey(target: WatchTarget): string {
  return `${resourceKey(target.resource)}@${target.namespace ?? '*'}`;
}

/** Keeps the watchers in line with discovery and the namespaces until aborted. */
export async function orchestrate(options: OrchestrationOptions): Promise<void> {
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const warned = new Set<string>();
  let resources: readonly Resource[] | undefined;
  let namespaces: readonly (string | undefined)[] | undefined = options.namespaces ? undefined : [undefined];

  const start = (key: string, what: string, task: (signal: AbortSignal) => Promise<void>): void => {
    if (running.has(key)) return;
    const controller = new AbortController();
    const entry = { controller, done: Promise.resolve() };
    running.set(key, entry); // before the task runs: it may flip the pause and re-enter reconcile()
    entry.done = task(controller.signal).catch((error: unknown) => {
      options.logger.error(`The ${what} has failed.`, error);
    });
  };

  const reconcile = (): void => {
    if (!resources || !namespaces || options.signal.aborted) return;
    const wanted = new Set<string>();
    for (const [key, run] of peeringTasks(options.peering, resources, namespaces)) {
      wanted.add(key);
      start(key, `peering of ${key}`, run);
    }
    const paused = options.paused?.isOn ?? false;
    const { targets, resolved } = plan(options.registry, resources, namespaces, (message) => {
      if (!warned.has(message)) options.logger.warning(message);
      warned.add(message);
    });
    for (const [key, target] of paused ? [] : targets) {
      wanted.add(key);
      const matches = (selector: ResourceSelector): boolean =>
        resolved.get(selector)?.has(resourceKey(target.resource)) ?? false;
      start(key, `watcher of ${key}`, (signal) => options.run(target, matches, signal));
    }
    for (const [key, task] of running) {
      if (wanted.has(key)) continue;
      task.controller.abort();
      running.delete(key);
    }
    if (!paused) options.onTargets?.([...targets.values()]);
  };
  const unsubscribe = options.paused?.onChange(() => queueMicrotask(reconcile));

  const observing = [
    (async () => {
      const onError = (error: unknown) =>
        options.logger.warning(`Resource discovery failed; will retry: ${String(error)}`);
      const observing = options.scanning === false ? resourcesOnce : observeResources;
      for await (const found of observing(options.client, { signal: options.signal, onError })) {
        resources = found;
        reconcile();
      }
    })(),
  ];
  if (options.namespaces) {
    const patterns = options.namespaces;
    observing.push(
      (async () => {
        const observing = options.scanning === false ? namedNamespaces(options.logger) : observeNamespaces;
        for await (const found of observing(options.client, patterns, { signal: options.signal })) {
          namespaces = found;
          reconcile();
        }
      })(),
    );
  }
  try {
    await Promise.all(observing);
  } finally {
    unsubscribe?.();
    for (const task of running.values()) task.controller.abort();
    await Promise.all([...running.values()].map((task) => task.done));
  }
}

/** Without scanning: the resources discovered once (retried until it works), kept until aborted. */
async function* resourcesOnce(
  client: ApiClient,
  { signal, onError }: { signal: AbortSignal; onError: (error: unknown) => void },
): AsyncGenerator<Resource[]> {
  for (;;) {
    try {
      yield await discoverResources(client, { signal });
      break;
    } catch (error) {
      if (signal.aborted) return;
      onError(error);
      await sleep(DISCOVERY_RETRY_DELAY, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
    }
  }
  await untilAborted(signal);
}

const DISCOVERY_RETRY_DELAY = 10_000;

/** Without scanning: the namespaces named exactly; patterns cannot be followed (said once). */
function namedNamespaces(logger: Logger) {
  return async function* (
    _client: ApiClient,
    patterns: readonly NamespacePattern[],
    { signal }: { signal: AbortSignal },
  ): AsyncGenerator<string[]> {
    const named = specificNamespaces(patterns);
    if (named.length < patterns.length) {
      logger.warning(
        `Namespace patterns cannot be followed with scanning disabled; only the named namespaces are served: ${named.join(', ') || 'none'}.`,
      );
    }
    yield named.sort();
    await untilAborted(signal);
  };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** The peering tasks wanted now: one per namespace, or one cluster-wide. */
function peeringTasks(
  peering: PeeringPlan | undefined,
  resources: readonly Resource[],
  namespaces: readonly (string | undefined)[],
): Map<string, (signal: AbortSignal) => Promise<void>> {
  const tasks = new Map<string, (signal: AbortSignal) => Promise<void>>();
  if (!peering) return tasks;
  const resource = peering.select(resources);
  peering.missing(resource === undefined);
  if (!resource) return tasks;
  for (const namespace of resource.namespaced ? namespaces : [undefined]) {
    const key = `peering:${targetKey({ resource, namespace })}`;
    tasks.set(key, (signal) => peering.run(resource, namespace, signal));
  }
  return tasks;
}

interface Plan {
  readonly targets: Map<string, WatchTarget>;
  readonly resolved: Map<ResourceSelector, Set<string>>;
}

/**
 * The targets the registry's selectors resolve to, with Kopf's warnings for what
 * cannot be served (ambiguous, not watchable or patchable, or not found at all).
 */
function plan(
  registry: Registry,
  resources: readonly Resource[],
  namespaces: readonly (string | undefined)[],
  warn: (message: string) => void,
): Plan {
  const targets = new Map<string, WatchTarget>();
  const resolved = new Map<ResourceSelector, Set<string>>();
  const changingSelectors = new Set(registry.selectors('changing'));
  const unresolved: string[] = [];
  for (const selector of registry.selectors()) {
    const selection = selectResources(resources, selector);
    if (isSpecific(selector) && selection.resources.length === 0 && selection.ambiguous.length === 0)
      unresolved.push(selectorDescription(selector));
    if (selection.ambiguous.length > 0) {
      const names = selection.ambiguous.map(resourceKey).join(', ');
      warn(`Ambiguous resources will not be served (try specifying API groups): ${names}`);
    }
    const served = new Set<string>();
    for (const resource of selection.resources) {
      if (!resource.verbs.includes('list') || !resource.verbs.includes('watch')) {
        warn(`Non-watchable resources will not be served: ${resourceKey(resource)}`);
        continue;
      }
      if (changingSelectors.has(selector) && !resource.verbs.includes('patch')) {
        warn(`Non-patchable resources will not be served: ${resourceKey(resource)}`);
        continue;
      }
      served.add(resourceKey(resource));
      for (const namespace of resource.namespaced ? namespaces : [undefined]) {
        const target = { resource, namespace };
        targets.set(targetKey(target), target);
      }
    }
    resolved.set(selector, served);
  }
  if (unresolved.length > 0)
    warn(`Unresolved resources cannot be served (try creating their CRDs): ${unresolved.join(', ')}`);
  return { targets, resolved };
}
