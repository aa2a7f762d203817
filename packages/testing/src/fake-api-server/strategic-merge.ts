/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for the built-in kinds
 * the fake serves, as kube-apiserver applies it (apimachinery `pkg/util/strategicpatch`,
 * with its server options: parallel-list deletions on, unmatched nulls ignored).
 *
 * `kubectl apply` sends it for built-ins such as ConfigMaps and Deployments. Maps merge with
 * `null` deleting; lists named by the Go types' `patchStrategy:"merge"` tags merge by their
 * `patchMergeKey` (or as sets of scalars); other lists are replaced. Directives: `$patch`
 * (`replace`, `delete`; `merge` is refused, as kube refuses it), `$retainKeys`,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`. List order follows kube too.
 */

/** A patch the real server would refuse too; `code` is its HTTP status (400 or 422). */
export class StrategicMergeError extends Error {
  override name = 'StrategicMergeError';
  readonly code: 400 | 422;

  constructor(message: string, code: 400 | 422 = 400) {
    super(`applying a strategic merge patch failed: ${message}`);
    this.code = code;
  }
}

type Json = null | boolean | number | string | Json[] | JsonMap;
type JsonMap = { [key: string]: Json };

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** Where a map sits: the kind's list rules are looked up by this dotted path (`[]` for list items). */
interface Place {
  readonly target: { readonly group: string; readonly kind: string };
  readonly path: string;
}

/** A list merged rather than replaced: by `mergeKey` for maps, as a set for scalars. */
interface ListRule {
  readonly mergeKey?: string;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** `patchStrategy:"merge"` lists of core/v1 PodSpec and Container under `prefix`. */
function podSpecRules(prefix: string): Record<string, ListRule> {
  const rules: Record<string, ListRule> = {
    [`${prefix}.volumes`]: { mergeKey: 'name' },
    [`${prefix}.imagePullSecrets`]: { mergeKey: 'name' },
    [`${prefix}.hostAliases`]: { mergeKey: 'ip' },
    [`${prefix}.topologySpreadConstraints`]: { mergeKey: 'topologyKey' },
    [`${prefix}.schedulingGates`]: { mergeKey: 'name' },
    [`${prefix}.resourceClaims`]: { mergeKey: 'name' },
  };
  for (const list of CONTAINER_LISTS) {
    rules[`${prefix}.${list}`] = { mergeKey: 'name' };
    rules[`${prefix}.${list}[].env`] = { mergeKey: 'name' };
    rules[`${prefix}.${list}[].ports`] = { mergeKey: 'containerPort' };
    rules[`${prefix}.${list}[].volumeMounts`] = { mergeKey: 'mountPath' };
    rules[`${prefix}.${list}[].volumeDevices`] = { mergeKey: 'devicePath' };
  }
  return rules;
}

const CONDITIONS: Record<string, ListRule> = { 'status.conditions': { mergeKey: 'type' } };
const WORKLOAD = { ...podSpecRules('spec.template.spec'), ...CONDITIONS };
const WEBHOOKS = { webhooks: { mergeKey: 'name' }, 'webhooks[].matchConditions': { mergeKey: 'name' } };

/** The merge lists of the built-in kinds, keyed by `group/Kind`, besides `metadata`'s. */
const RULES_BY_KIND: Readonly<Record<string, Readonly<Record<string, ListRule>>>> = {
  '/Pod': {
    ...podSpecRules('spec'),
    ...CONDITIONS,
    'status.podIPs': { mergeKey: 'ip' },
    'status.hostIPs': { mergeKey: 'ip' },
  },
  '/PodTemplate': podSpecRules('template.spec'),
  '/ReplicationController': WORKLOAD,
  '/Service': { 'spec.ports': { mergeKey: 'port' }, ...CONDITIONS },
  '/ServiceAccount': { secrets: { mergeKey: 'name' } },
  '/Namespace': CONDITIONS,
  'apps/Deployment': WORKLOAD,
  'apps/ReplicaSet': WORKLOAD,
  'apps/StatefulSet': WORKLOAD,
  'apps/DaemonSet': WORKLOAD,
  'batch/Job': WORKLOAD,
  'batch/CronJob': { ...podSpecRules('spec.jobTemplate.spec.template.spec'), ...CONDITIONS },
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': WEBHOOKS,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': WEBHOOKS,
};

const METADATA_RULES: Readonly<Record<string, ListRule>> = {
  'metadata.finalizers': {},
  'metadata.ownerReferences': { mergeKey: 'uid' },
};

function mergeListRuleAt(target: Place['target'], path: string): ListRule | undefined {
  return METADATA_RULES[path] ?? RULES_BY_KIND[`${target.group}/${target.kind}`]?.[path];
}

/**
 * Applies a strategic merge patch to a copy of `original` and returns it; neither input is
 * mutated. `target` picks the list merge keys (those of pods, pod templates, services,
 * service accounts, webhook configurations, conditions…; `metadata` of every kind).
 *
 * @throws StrategicMergeError when the patch is malformed as kube-apiserver judges it.
 */
export function strategicMergePatch(
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  target: { group: string; version: string; kind: string },
): Record<string, unknown> {
  const place: Place = { target: { group: target.group, kind: target.kind }, path: '' };
  return mergeMap(structuredClone(original) as JsonMap, structuredClone(patch) as JsonMap, place);
}

function mergeMap(original: JsonMap, patch: JsonMap, place: Place): JsonMap {
  if (PATCH in patch) {
    const directive = patch[PATCH];
    if (directive === 'delete') return {};
    if (directive !== 'replace') {
      throw new StrategicMergeError(
        `"$patch: ${directive}" at "${place.path || '.'}" is not allowed in a map.`,
      );
    }
    delete patch[PATCH];
    return patch;
  }
  applyRetainKeys(original, patch, place);
  applyElementOrders(original, patch, place);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM)) {
      deleteFromPrimitiveList(original, key.slice(DELETE_FROM.length), value);
    } else if (value === null) {
      delete original[key];
    } else {
      mergeField(original, key, value, place);
    }
  }
  return original;
}

function mergeField(original: JsonMap, key: string, value: Json, place: Place): void {
  const current = original[key];
  const child = { ...place, path: place.path ? `${place.path}.${key}` : key };
  const rule = Array.isArray(current) && Array.isArray(value) && mergeListRuleAt(place.target, child.path);
  if (isMap(current) && isMap(value)) {
    original[key] = mergeMap(current, value, child);
  } else if (rule) {
    original[key] = mergeList(current as Json[], value as Json[], rule.mergeKey, child);
  } else {
    const added = stripDirectives(value);
    if (added === undefined) delete original[key];
    else original[key] = added;
  }
}

function mergeList(original: Json[], patch: Json[], mergeKey: string | undefined, place: Place): Json[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind([...original, ...patch], place);
  if (kind === 'scalar') {
    const merged = dedupe([...original, ...patch]);
    return orderLikePatch(merged, patch, original, undefined);
  }
  if (!mergeKey) throw new StrategicMergeError(`the list "${place.path}" has no merge key to merge maps by.`);
  let items = original as JsonMap[];
  const patchItems: JsonMap[] = [];
  for (const item of patch as JsonMap[]) {
    const directive = item[PATCH];
    if (directive === undefined) patchItems.push(item);
    else if (directive === 'replace') items = [];
    else if (directive === 'delete')
      items = items.filter((it) => it[mergeKey] !== keyOf(item, mergeKey, place));
    else throw new StrategicMergeError(`"$patch: ${directive}" in the list "${place.path}" is not allowed.`);
  }
  if (patch.some((item) => isMap(item) && item[PATCH] === 'replace')) {
    return patchItems.map((item) => stripDirectives(item) as JsonMap);
  }
  const merged = [...items];
  for (const item of patchItems) {
    const at = merged.findIndex((it) => it[mergeKey] === keyOf(item, mergeKey, place));
    const itemPlace = { ...place, path: `${place.path}[]` };
    if (at >= 0) merged[at] = mergeMap(merged[at]!, item, itemPlace);
    else merged.push(mergeMap({}, item, itemPlace));
  }
  return orderLikePatch(merged, patchItems, items, mergeKey);
}

/**
 * kube's order of a merged list: the patch's items in the patch's order, the server-only
 * items in their old order, interleaved by the old order (new items go before later old ones).
 */
function orderLikePatch(merged: Json[], patchOrder: Json[], serverOrder: Json[], mergeKey?: string): Json[] {
  const identity = (item: Json): Json => (mergeKey && isMap(item) ? (item[mergeKey] ?? null) : item);
  const indexIn = (list: Json[], item: Json): number =>
    list.findIndex((it) => identity(it) === identity(item));
  const inPatch = merged.filter((item) => indexIn(patchOrder, item) >= 0);
  const serverOnly = merged.filter((item) => indexIn(patchOrder, item) < 0);
  const byOrder = (order: Json[]) => (a: Json, b: Json) => rank(indexIn(order, a)) - rank(indexIn(order, b));
  const left = [...serverOnly].sort(byOrder(serverOrder));
  const right = [...inPatch].sort(byOrder(patchOrder));
  const result: Json[] = [];
  while (left.length > 0 || right.length > 0) {
    const l = left[0];
    const r = right[0];
    const li = l === undefined ? -1 : indexIn(serverOrder, l);
    const ri = r === undefined ? -1 : indexIn(serverOrder, r);
    const takeLeft = r === undefined || (l !== undefined && li >= 0 && ri >= 0 && li < ri);
    result.push((takeLeft ? left.shift() : right.shift()) as Json);
  }
  return result;
}

const rank = (index: number): number => (index < 0 ? Number.MAX_SAFE_INTEGER : index);

function applyRetainKeys(original: JsonMap, patch: JsonMap, place: Place): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retained = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retained)) {
    throw new StrategicMergeError(`"$retainKeys" at "${place.path || '.'}" must be a list of keys.`);
  }
  for (const [key, value] of Object.entries(patch)) {
    const directive = key.startsWith(DELETE_FROM) || key.startsWith(SET_ORDER);
    if (value !== null && !directive && !retained.includes(key)) {
      throw new StrategicMergeError(`"$retainKeys" at "${place.path || '.'}" does not list "${key}".`);
    }
  }
  for (const key of Object.keys(original)) {
    if (!retained.includes(key)) delete original[key];
  }
}

function applyElementOrders(original: JsonMap, patch: JsonMap, place: Place): void {
  for (const [directiveKey, order] of Object.entries(patch)) {
    if (!directiveKey.startsWith(SET_ORDER)) continue;
    delete patch[directiveKey];
    const key = directiveKey.slice(SET_ORDER.length);
    const path = place.path ? `${place.path}.${key}` : key;
    if (!Array.isArray(order))
      throw new StrategicMergeError(`"${directiveKey}" at "${path}" must be a list.`);
    const current = original[key];
    const change = patch[key];
    if (change !== undefined && !Array.isArray(change)) {
      throw new StrategicMergeError(`"${key}" at "${path}" must be a list when "${directiveKey}" is given.`);
    }
    if (change === undefined) {
      if (current === undefined) continue;
    } else {
      mergeField(original, key, change, place);
      delete patch[key];
    }
    const merged = original[key];
    if (!Array.isArray(merged)) continue;
    const mergeKey = mergeListRuleAt(place.target, path)?.mergeKey;
    const oldItems = Array.isArray(current) ? current : [];
    original[key] = orderLikePatch(merged, order, oldItems, mergeKey);
  }
}

/** Like kube, a directive that is not a list, or a list that is not there, changes nothing. */
function deleteFromPrimitiveList(original: JsonMap, key: string, values: Json): void {
  const current = original[key];
  if (Array.isArray(current) && Array.isArray(values)) {
    original[key] = current.filter((item) => !values.includes(item));
  }
}

/** A value added where nothing was: nulls and directive keys dropped; a `$patch` map is dropped whole. */
function stripDirectives(value: Json): Json | undefined {
  if (Array.isArray(value)) {
    return value.map(stripDirectives).filter((item): item is Json => item !== undefined);
  }
  if (!isMap(value)) return value;
  if (PATCH in value) return undefined;
  const result: JsonMap = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || key.startsWith('$')) continue;
    const kept = stripDirectives(item);
    if (kept !== undefined) result[key] = kept;
  }
  return result;
}

function elementKind(items: Json[], place: Place): 'scalar' | 'map' {
  const kinds = new Set(items.map((item) => (Array.isArray(item) ? 'list' : isMap(item) ? 'map' : 'scalar')));
  if (kinds.has('list')) throw new StrategicMergeError(`the list "${place.path}" holds lists.`, 422);
  if (kinds.size > 1) throw new StrategicMergeError(`the list "${place.path}" mixes maps and scalars.`);
  return kinds.has('map') ? 'map' : 'scalar';
}

function keyOf(item: JsonMap, mergeKey: string, place: Place): Json {
  const value = item[mergeKey];
  if (value === undefined) {
    throw new StrategicMergeError(`an item of "${place.path}" has no merge key "${mergeKey}"; add it.`);
  }
  return value;
}

function dedupe(items: Json[]): Json[] {
  return items.filter((item, index) => items.indexOf(item) === index);
}

function isMap(value: Json | undefined): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
