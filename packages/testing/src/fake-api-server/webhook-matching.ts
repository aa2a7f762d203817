/**
 * Whether an admission request goes to a webhook, as kube-apiserver's webhook
 * matchers decide: a rule matching the operation, group, version, resource
 * (`*`, `*∕*`, `pods∕status`, `pods∕*`) and scope; then the namespace selector (on
 * the namespace's labels, or a Namespace's own; cluster-scoped objects always match)
 * and the object selector (on the new or the old object's labels). With
 * `matchPolicy: Equivalent`, a rule naming another version of the same resource
 * matches too, and the webhook gets the object in that version.
 */
import type { SelectorSpec, Webhook, WebhookRule } from './webhook-configurations.js';

/** What a request is about, for matching. */
export interface MatchTarget {
  readonly operation: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
}

function listed(values: readonly string[], value: string): boolean {
  return values.includes('*') || values.includes(value);
}

function resourceMatches(rule: WebhookRule, target: MatchTarget): boolean {
  return rule.resources.some((entry) => {
    const slash = entry.indexOf('/');
    const resource = slash < 0 ? entry : entry.slice(0, slash);
    const subresource = slash < 0 ? '' : entry.slice(slash + 1);
    return (
      (resource === '*' || resource === target.resource) &&
      (subresource === '*' || subresource === target.subresource)
    );
  });
}

function scopeMatches(rule: WebhookRule, target: MatchTarget): boolean {
  const isNamespace = target.group === '' && target.resource === 'namespaces';
  if (rule.scope === 'Namespaced') return !isNamespace && target.namespace !== '';
  if (rule.scope === 'Cluster') return isNamespace || target.namespace === '';
  return true;
}

/** Whether one of the webhook's rules covers the target. */
export function rulesMatch(rules: readonly WebhookRule[], target: MatchTarget): boolean {
  return rules.some(
    (rule) =>
      listed(rule.operations, target.operation) &&
      listed(rule.apiGroups, target.group) &&
      listed(rule.apiVersions, target.version) &&
      resourceMatches(rule, target) &&
      scopeMatches(rule, target),
  );
}

/** Whether labels satisfy a label selector (an empty selector matches everything). */
export function selectorMatches(
  selector: SelectorSpec,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const own = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (own[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const present = Object.hasOwn(own, key);
    switch (operator) {
      case 'In':
        return present && values.includes(own[key] as string);
      case 'NotIn':
        return !present || !values.includes(own[key] as string);
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
      default:
        return false;
    }
  });
}

/** What the selectors look at. */
export interface SelectorInputs {
  /** The labels of the request's namespace (or of the Namespace itself); `undefined` for cluster-scoped objects. */
  readonly namespaceLabels: Readonly<Record<string, string>> | undefined;
  readonly objectLabels: Readonly<Record<string, string>> | undefined;
  readonly oldObjectLabels: Readonly<Record<string, string>> | undefined;
}

/** Whether the namespace and object selectors let the request through. */
export function selectorsMatch(webhook: Webhook, inputs: SelectorInputs): boolean {
  if (
    inputs.namespaceLabels !== undefined &&
    !selectorMatches(webhook.namespaceSelector, inputs.namespaceLabels)
  )
    return false;
  const { objectLabels, oldObjectLabels } = inputs;
  if (objectLabels === undefined && oldObjectLabels === undefined) return true;
  return (
    (objectLabels !== undefined && selectorMatches(webhook.objectSelector, objectLabels)) ||
    (oldObjectLabels !== undefined && selectorMatches(webhook.objectSelector, oldObjectLabels))
  );
}
