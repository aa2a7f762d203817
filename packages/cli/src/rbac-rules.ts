/**
 * Least-privilege RBAC rules for an operator, derived from what its handlers make
 * the framework do, as pure functions: `operatorNeeds()` reads a registry (with
 * resources resolved offline), `rbacRules()` turns needs into policy rules.
 *
 * - every watched resource: `list`, `watch` (the list+watch of its watcher);
 * - changing handlers, daemons and timers also `patch` it (progress, finalizers,
 *   the last-handled state, results), and `<plural>/status` when it has that
 *   subresource (results go there);
 * - Events: `create` (the framework's "Handler … succeeded" and `info()`/`warn()`);
 * - `customresourcedefinitions`: `list`, `watch` (re-discovery when CRDs change);
 * - `namespaces`: `list`, `watch` when serving namespaces by `-n`;
 * - peering objects: `list`, `watch`, `patch` (KopfPeering or ClusterKopfPeering) unless standalone;
 * - admission webhook configurations: `create`, `patch` when validate/mutate handlers exist.
 * Webhook-only resources are not watched and need nothing of their own.
 */
import { HANDLER_CATEGORIES, type Registry } from '@kopf/core';
import type { ResolvedResource, ResourceCatalog } from './resource-catalog.js';

/** A resource the operator serves, and what the framework does with its objects. */
export interface ServedResource extends ResolvedResource {
  /** Changing handlers, daemons or timers serve it: its objects are patched. */
  readonly patched: boolean;
}

/** How the operator serves namespaces: the whole cluster, glob patterns, or a list of names. */
export type NamespaceScope =
  | { readonly kind: 'cluster' }
  | { readonly kind: 'patterns' }
  | { readonly kind: 'names'; readonly names: readonly string[] };

/** Everything the framework will do on behalf of an operator's handlers. */
export interface OperatorNeeds {
  readonly resources: readonly ServedResource[];
  readonly namespaces: NamespaceScope;
  /** Peering (the peering objects, used when their CRDs exist); `false` for standalone operators. */
  readonly peering: boolean;
  /** Validate or mutate handlers exist: the operator manages webhook configurations. */
  readonly webhooks: boolean;
}

/** One RBAC policy rule. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** The rules for a ClusterRole and, when serving listed namespaces, for a Role in each of them. */
export interface RbacRules {
  readonly cluster: readonly PolicyRule[];
  /** Empty unless the namespaces are a list of names. */
  readonly namespaced: readonly PolicyRule[];
}

type Grant = {
  readonly group: string;
  readonly resource: string;
  readonly verbs: readonly string[];
  readonly namespaced: boolean;
};

/**
 * The minimal rules for the needs: namespaced grants go to `namespaced` when the
 * operator serves listed namespaces, everything else to `cluster`.
 *
 * @example
 * rbacRules({ resources: [{ group: 'kopf.dev', plural: 'kopfexamples', namespaced: true, status: true, patched: true }],
 *             namespaces: { kind: 'cluster' }, peering: false, webhooks: false });
 */
export function rbacRules(needs: OperatorNeeds): RbacRules {
  const grants = grantsOf(needs);
  const split = needs.namespaces.kind === 'names';
  return {
    cluster: merge(grants.filter((grant) => !split || !grant.namespaced)),
    namespaced: merge(grants.filter((grant) => split && grant.namespaced)),
  };
}

function grantsOf(needs: OperatorNeeds): Grant[] {
  const grants: Grant[] = [
    {
      group: 'apiextensions.k8s.io',
      resource: 'customresourcedefinitions',
      verbs: ['list', 'watch'],
      namespaced: false,
    },
  ];
  if (needs.namespaces.kind !== 'cluster') {
    grants.push({ group: '', resource: 'namespaces', verbs: ['list', 'watch'], namespaced: false });
  }
  for (const resource of needs.resources) {
    const verbs = resource.patched ? ['list', 'watch', 'patch'] : ['list', 'watch'];
    grants.push({ group: resource.group, resource: resource.plural, verbs, namespaced: resource.namespaced });
    if (resource.patched && resource.status && resource.plural !== '*') {
      const status = `${resource.plural}/status`;
      grants.push({
        group: resource.group,
        resource: status,
        verbs: ['patch'],
        namespaced: resource.namespaced,
      });
    }
  }
  if (needs.resources.length > 0) {
    grants.push({ group: '', resource: 'events', verbs: ['create'], namespaced: true });
    // Events of cluster-scoped objects go to the default namespace, which may not be a served one.
    if (needs.namespaces.kind === 'names' && needs.resources.some((resource) => !resource.namespaced)) {
      grants.push({ group: '', resource: 'events', verbs: ['create'], namespaced: false });
    }
  }
  if (needs.peering) {
    const clusterwide = needs.namespaces.kind === 'cluster';
    const resource = clusterwide ? 'clusterkopfpeerings' : 'kopfpeerings';
    grants.push({
      group: 'kopf.dev',
      resource,
      verbs: ['list', 'watch', 'patch'],
      namespaced: !clusterwide,
    });
  }
  if (needs.webhooks) {
    for (const resource of ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations']) {
      grants.push({
        group: 'admissionregistration.k8s.io',
        resource,
        verbs: ['create', 'patch'],
        namespaced: false,
      });
    }
  }
  return grants;
}

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'patch'];

/** One rule per API group and set of verbs, resources sorted; rules in a stable order. */
function merge(grants: readonly Grant[]): PolicyRule[] {
  const verbsOf = new Map<string, Set<string>>();
  for (const grant of grants) {
    const key = JSON.stringify([grant.group, grant.resource]);
    const verbs = verbsOf.get(key) ?? new Set<string>();
    for (const verb of grant.verbs) verbs.add(verb);
    verbsOf.set(key, verbs);
  }
  const rules = new Map<string, { group: string; verbs: string[]; resources: string[] }>();
  for (const [key, verbSet] of verbsOf) {
    const [group, resource] = JSON.parse(key) as [string, string];
    const verbs = [...verbSet].sort((a, b) => VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b));
    const ruleKey = JSON.stringify([group, verbs]);
    const rule = rules.get(ruleKey) ?? { group, verbs, resources: [] };
    rule.resources.push(resource);
    rules.set(ruleKey, rule);
  }
  return [...rules.values()]
    .map((rule) => ({ apiGroups: [rule.group], resources: rule.resources.sort(), verbs: rule.verbs }))
    .sort((a, b) =>
      JSON.stringify([a.apiGroups, a.resources]).localeCompare(JSON.stringify([b.apiGroups, b.resources])),
    );
}

/** How {@link operatorNeeds} should treat namespaces and peering (the `kopf run` options the operator will get). */
export interface NeedsOptions {
  readonly namespaces: NamespaceScope;
  readonly peering: boolean;
}

/**
 * What the handlers of a registry need, with their resources resolved by the catalog.
 *
 * @throws ResourceResolutionError when a selector cannot be resolved without a cluster.
 */
export function operatorNeeds(
  registry: Registry,
  catalog: ResourceCatalog,
  options: NeedsOptions,
): OperatorNeeds {
  const served = new Map<string, ServedResource>();
  let webhooks = false;
  for (const handler of registry.handlers) {
    const category = HANDLER_CATEGORIES[handler.kind];
    if (category === 'activity') continue;
    if (category === 'webhook') {
      webhooks = true;
      continue;
    }
    if (!('selector' in handler) || !handler.selector) continue; // sub-handlers serve their parent's resource
    const resource = catalog.resolve(handler.selector, `${handler.kind} handler '${handler.id}'`);
    const patched = category === 'changing' || category === 'spawning';
    const key = `${resource.group}/${resource.plural}`;
    const known = served.get(key);
    served.set(key, { ...resource, patched: patched || (known?.patched ?? false) });
  }
  return {
    resources: [...served.values()],
    namespaces: options.namespaces,
    peering: options.peering,
    webhooks,
  };
}
