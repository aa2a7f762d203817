/**
 * Validating and MutatingWebhookConfigurations (admissionregistration.k8s.io/v1) as the
 * real registry keeps them: the v1 defaults (failurePolicy Fail, matchPolicy
 * Equivalent, empty selectors, timeout 10 s, rule scope `*`, service port 443,
 * reinvocationPolicy Never), the validation a client meets (names, sideEffects,
 * admissionReviewVersions, timeouts 1–30 s, exactly one of url or service over
 * https), and the parsed form the dispatcher works with.
 */
import { type FieldError, invalidValue, notSupportedValue, requiredValue } from './field-errors.js';
import type { KindRules } from './kinds.js';
import { isJsonObject, type JsonObject } from './objects.js';

/** A label selector as webhooks carry it (`matchLabels`, `matchExpressions`). */
export interface SelectorSpec {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }[];
}

/** One rule of a webhook. */
export interface WebhookRule {
  readonly operations: readonly string[];
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly scope: string;
}

/** Where a webhook is served: a URL, or a Service (resolved by the server's `serviceResolver`). */
export type WebhookClientConfig =
  | { readonly url: string; readonly caBundle?: string }
  | {
      readonly service: {
        readonly namespace: string;
        readonly name: string;
        readonly path?: string;
        readonly port: number;
      };
      readonly caBundle?: string;
    };

/** One webhook of a configuration, defaults applied. */
export interface Webhook {
  readonly name: string;
  readonly configuration: string;
  readonly clientConfig: WebhookClientConfig;
  readonly rules: readonly WebhookRule[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchPolicy: 'Exact' | 'Equivalent';
  readonly namespaceSelector: SelectorSpec;
  readonly objectSelector: SelectorSpec;
  readonly sideEffects: string;
  readonly timeoutSeconds: number;
  readonly reinvocationPolicy: 'Never' | 'IfNeeded';
}

const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SIDE_EFFECTS = ['None', 'NoneOnDryRun'];

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function withDefaults(webhook: JsonObject, mutating: boolean): JsonObject {
  const clientConfig = isJsonObject(webhook.clientConfig) ? webhook.clientConfig : {};
  const service = isJsonObject(clientConfig.service)
    ? { ...clientConfig.service, port: clientConfig.service.port ?? 443 }
    : undefined;
  return {
    ...webhook,
    clientConfig: service ? { ...clientConfig, service } : clientConfig,
    rules: list(webhook.rules).map((rule) => ({ ...rule, scope: rule.scope ?? '*' })),
    failurePolicy: webhook.failurePolicy ?? 'Fail',
    matchPolicy: webhook.matchPolicy ?? 'Equivalent',
    namespaceSelector: webhook.namespaceSelector ?? {},
    objectSelector: webhook.objectSelector ?? {},
    timeoutSeconds: webhook.timeoutSeconds ?? 10,
    ...(mutating ? { reinvocationPolicy: webhook.reinvocationPolicy ?? 'Never' } : {}),
  };
}

function validateClientConfig(config: unknown, path: string): FieldError[] {
  const client = isJsonObject(config) ? config : {};
  if ((client.url === undefined) === (client.service === undefined))
    return [requiredValue(path, 'exactly one of url or service is required')];
  if (client.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(String(client.url));
    } catch {
      return [invalidValue(`${path}.url`, client.url, 'host must be specified')];
    }
    if (url.protocol !== 'https:')
      return [notSupportedValue(`${path}.url`, url.protocol.replace(':', ''), ['https'])];
    return [];
  }
  const service = client.service as JsonObject;
  const errors: FieldError[] = [];
  if (!service.name) errors.push(requiredValue(`${path}.service.name`, 'service name is required'));
  if (!service.namespace)
    errors.push(requiredValue(`${path}.service.namespace`, 'service namespace is required'));
  const port = Number(service.port ?? 443);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    errors.push(
      invalidValue(
        `${path}.service.port`,
        service.port,
        'port is not valid: must be between 1 and 65535, inclusive',
      ),
    );
  return errors;
}

function validateWebhook(webhook: JsonObject, path: string, mutating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const name = String(webhook.name ?? '');
  if (!name) errors.push(requiredValue(`${path}.name`));
  else if (name.split('.').length < 3)
    errors.push(
      invalidValue(`${path}.name`, name, 'should be a domain with at least three segments separated by dots'),
    );
  const versions = strings(webhook.admissionReviewVersions);
  if (versions.length === 0)
    errors.push(requiredValue(`${path}.admissionReviewVersions`, 'must specify one of v1, v1beta1'));
  else if (!versions.some((version) => version === 'v1' || version === 'v1beta1'))
    errors.push(
      invalidValue(`${path}.admissionReviewVersions`, versions, 'must include at least one of v1, v1beta1'),
    );
  if (webhook.sideEffects === undefined)
    errors.push(requiredValue(`${path}.sideEffects`, 'must specify one of None, NoneOnDryRun'));
  else if (!SIDE_EFFECTS.includes(String(webhook.sideEffects)))
    errors.push(notSupportedValue(`${path}.sideEffects`, webhook.sideEffects, SIDE_EFFECTS));
  const timeout = Number(webhook.timeoutSeconds);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 30)
    errors.push(
      invalidValue(
        `${path}.timeoutSeconds`,
        webhook.timeoutSeconds,
        'the timeout value must be between 1 and 30 seconds',
      ),
    );
  if (!['Fail', 'Ignore'].includes(String(webhook.failurePolicy)))
    errors.push(notSupportedValue(`${path}.failurePolicy`, webhook.failurePolicy, ['Fail', 'Ignore']));
  if (!['Exact', 'Equivalent'].includes(String(webhook.matchPolicy)))
    errors.push(notSupportedValue(`${path}.matchPolicy`, webhook.matchPolicy, ['Equivalent', 'Exact']));
  if (mutating && !['Never', 'IfNeeded'].includes(String(webhook.reinvocationPolicy)))
    errors.push(
      notSupportedValue(`${path}.reinvocationPolicy`, webhook.reinvocationPolicy, ['IfNeeded', 'Never']),
    );
  list(webhook.rules).forEach((rule, index) => {
    for (const operation of strings(rule.operations)) {
      if (!OPERATIONS.includes(operation))
        errors.push(notSupportedValue(`${path}.rules[${index}].operations`, operation, OPERATIONS));
    }
  });
  errors.push(...validateClientConfig(webhook.clientConfig, `${path}.clientConfig`));
  return errors;
}

/** The registry rules of a (mutating or validating) webhook configuration kind. */
export function webhookConfigurationRules(mutating: boolean): Partial<KindRules> {
  const defaulted = (object: JsonObject): JsonObject => ({
    ...object,
    webhooks: list(object.webhooks).map((webhook) => withDefaults(webhook, mutating)),
  });
  return {
    generation: true,
    prepareForCreate: defaulted,
    prepareForUpdate: (object) => defaulted(object),
    validate: (object) => {
      const seen = new Set<string>();
      return list(object.webhooks).flatMap((webhook, index) => {
        const path = `webhooks[${index}]`;
        const errors = validateWebhook(webhook, path, mutating);
        const name = String(webhook.name ?? '');
        if (name && seen.has(name))
          errors.push({ type: 'FieldValueDuplicate', field: `${path}.name`, value: JSON.stringify(name) });
        seen.add(name);
        return errors;
      });
    },
  };
}

/** The webhooks of a stored configuration, in their order. */
export function webhooksOf(configuration: JsonObject): Webhook[] {
  const name = String((configuration.metadata as JsonObject | undefined)?.name ?? '');
  return list(configuration.webhooks).map((raw) => {
    const webhook = withDefaults(raw, true);
    return {
      name: String(webhook.name ?? ''),
      configuration: name,
      clientConfig: webhook.clientConfig as WebhookClientConfig,
      rules: list(webhook.rules).map((rule) => ({
        operations: strings(rule.operations),
        apiGroups: strings(rule.apiGroups),
        apiVersions: strings(rule.apiVersions),
        resources: strings(rule.resources),
        scope: String(rule.scope),
      })),
      failurePolicy: webhook.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      matchPolicy: webhook.matchPolicy === 'Exact' ? 'Exact' : 'Equivalent',
      namespaceSelector: (webhook.namespaceSelector ?? {}) as SelectorSpec,
      objectSelector: (webhook.objectSelector ?? {}) as SelectorSpec,
      sideEffects: String(webhook.sideEffects ?? ''),
      timeoutSeconds: Math.min(30, Math.max(1, Number(webhook.timeoutSeconds) || 10)),
      reinvocationPolicy: webhook.reinvocationPolicy === 'IfNeeded' ? 'IfNeeded' : 'Never',
    };
  });
}
