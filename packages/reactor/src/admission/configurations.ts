/**
 * The Validating/MutatingWebhookConfiguration the operator manages for its admission
 * handlers (`settings.admission.managed`), built by Kopf's conventions: one entry per
 * handler named `<id with '/'→'.', '_'→'-'>.<managed name>`, its rules from the
 * resources the handler's selector resolves to and its operations (`plural` or
 * `plural/subresource`), the client config with the handler id appended to the URL
 * or service path, `failurePolicy` from `ignoreFailures`, `sideEffects`, an
 * `objectSelector` from label filters, `matchPolicy: Equivalent`, `timeoutSeconds`
 * 30 and `admissionReviewVersions` v1 and v1beta1. Both objects are created if
 * absent, their `webhooks` merge-patched when anything changes, and reduced to the
 * persistent handlers' entries on cleanup.
 */
import {
  ABSENT,
  KopfError,
  type Logger,
  PRESENT,
  type Registry,
  type Resource,
  type ResourceSelector,
  type WebhookClientConfig,
  type WebhookHandler,
  type WebhookType,
} from '@kopf/core';
import { type ApiClient, ApiConflictError, ApiForbiddenError, createObject, patchObject } from '@kopf/k8s';

/** One entry of a webhook configuration's `webhooks`. */
export interface WebhookEntry {
  readonly name: string;
  readonly sideEffects: 'None' | 'NoneOnDryRun';
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchPolicy: 'Equivalent';
  readonly rules: readonly WebhookRule[];
  readonly objectSelector?: { readonly matchExpressions: readonly MatchExpression[] };
  readonly clientConfig: WebhookClientConfig;
  readonly timeoutSeconds: number;
  readonly admissionReviewVersions: readonly string[];
}

/** A rule of a webhook entry. */
export interface WebhookRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly string[];
  readonly scope: '*';
}

/** A label requirement of an `objectSelector`. */
export interface MatchExpression {
  readonly key: string;
  readonly operator: 'Exists' | 'DoesNotExist' | 'In';
  readonly values?: readonly string[];
}

/** What entries are built from. */
export interface WebhookEntriesOptions {
  /** The resources a selector resolves to now. */
  readonly resources: (selector: ResourceSelector) => readonly Resource[];
  /** The managed configuration's name, the suffix of every entry's name. */
  readonly managed: string;
  readonly clientConfig: WebhookClientConfig;
  /** Only the handlers with `persistent: true` (for cleanup). */
  readonly persistentOnly?: boolean;
  /** `timeoutSeconds` of every entry (1–30); default 30. */
  readonly timeoutSeconds?: number;
}

/** Managing a configuration failed (no permission to create it, a rejected patch). */
export class WebhookConfigurationError extends KopfError {
  override name = 'WebhookConfigurationError';
}

const GROUP = 'admissionregistration.k8s.io';
const KINDS: Readonly<Record<WebhookType, { readonly kind: string; readonly plural: string }>> = {
  validating: { kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations' },
  mutating: { kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations' },
};

function resourceOf(type: WebhookType): {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
} {
  return {
    group: GROUP,
    version: 'v1',
    plural: KINDS[type].plural,
    kind: KINDS[type].kind,
    namespaced: false,
  };
}

/**
 * The entry name of a handler: Kopf's `'/'→'.'` and `'_'→'-'`, camelCase split by `-`
 * (names must be lowercase), other characters hex-encoded, then `.<managed>`.
 *
 * @example
 * webhookEntryName('check_fn', 'auto.kopf.dev'); // 'check-fn.auto.kopf.dev'
 * webhookEntryName('checkSpec/field', 'auto.kopf.dev'); // 'check-spec.field.auto.kopf.dev'
 */
export function webhookEntryName(id: string, managed: string): string {
  const common = id
    .replaceAll('/', '.')
    .replaceAll('_', '-')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  const safe = common.replace(/[^a-z0-9.-]/g, (char) => Buffer.from(char, 'utf8').toString('hex'));
  return managed ? `${safe}.${managed}` : safe;
}

/** The client config with the handler id appended to its URL or service path. */
export function clientConfigFor(config: WebhookClientConfig, id: string): WebhookClientConfig {
  const segment = id.split('/').map(encodeURIComponent).join('/');
  return {
    ...config,
    ...(config.url !== undefined ? { url: `${config.url.replace(/\/+$/, '')}/${segment}` } : {}),
    ...(config.service !== undefined
      ? { service: { ...config.service, path: `${config.service.path ?? ''}/${segment}` } }
      : {}),
  };
}

/** Label filters as set-based requirements (callbacks cannot be expressed and are left out). */
function objectSelectorOf(handler: WebhookHandler): Pick<WebhookEntry, 'objectSelector'> {
  const expressions: MatchExpression[] = [];
  for (const [key, value] of Object.entries(handler.labels ?? {})) {
    if (value === PRESENT) expressions.push({ key, operator: 'Exists' });
    else if (value === ABSENT) expressions.push({ key, operator: 'DoesNotExist' });
    else if (typeof value === 'string') expressions.push({ key, operator: 'In', values: [value] });
  }
  return expressions.length > 0 ? { objectSelector: { matchExpressions: expressions } } : {};
}

function rulesOf(handler: WebhookHandler, resources: readonly Resource[]): WebhookRule[] {
  return resources.map((resource) => ({
    apiGroups: [resource.group],
    apiVersions: [resource.version],
    resources: [
      handler.subresource === undefined ? resource.plural : `${resource.plural}/${handler.subresource}`,
    ],
    operations: handler.operations ? [...handler.operations] : ['*'],
    scope: '*',
  }));
}

/**
 * The `webhooks` of one configuration: an entry per handler (of one type), in order.
 *
 * @example
 * buildWebhookEntries(registry.ofKind('validate'), { resources, managed: 'auto.kopf.dev', clientConfig });
 */
export function buildWebhookEntries(
  handlers: readonly WebhookHandler[],
  options: WebhookEntriesOptions,
): WebhookEntry[] {
  return handlers
    .filter((handler) => !options.persistentOnly || handler.persistent)
    .map((handler) => ({
      name: webhookEntryName(handler.id, options.managed),
      sideEffects: handler.sideEffects ? 'NoneOnDryRun' : 'None',
      failurePolicy: handler.ignoreFailures ? 'Ignore' : 'Fail',
      matchPolicy: 'Equivalent',
      rules: rulesOf(handler, handler.selector ? options.resources(handler.selector) : []),
      ...objectSelectorOf(handler),
      clientConfig: clientConfigFor(options.clientConfig, handler.id),
      timeoutSeconds: options.timeoutSeconds ?? 30,
      admissionReviewVersions: ['v1', 'v1beta1'],
    }));
}

/** Options of {@link ManagedConfigurations}. */
export interface ManagedConfigurationsOptions {
  readonly client: ApiClient;
  readonly registry: Registry;
  readonly managed: string;
  /** The resources a selector resolves to now (from discovery). */
  readonly resources: (selector: ResourceSelector) => readonly Resource[];
  readonly logger: Logger;
  readonly timeoutSeconds?: number;
}

/** The two managed configurations of one operator, kept in line with its handlers. */
export class ManagedConfigurations {
  readonly #options: ManagedConfigurationsOptions;
  readonly #applied = new Map<WebhookType, string>();

  constructor(options: ManagedConfigurationsOptions) {
    this.#options = options;
  }

  /**
   * Creates both configurations if they do not exist yet (409 is fine).
   *
   * @throws WebhookConfigurationError when the operator may not create them (RBAC).
   */
  async ensure(): Promise<void> {
    for (const type of ['validating', 'mutating'] as const) {
      const { kind } = KINDS[type];
      const body = {
        apiVersion: `${GROUP}/v1`,
        kind,
        metadata: { name: this.#options.managed },
        webhooks: [],
      };
      try {
        await createObject(this.#options.client, resourceOf(type), body);
        this.#options.logger.info(`Created the ${kind} ${this.#options.managed}.`);
      } catch (error) {
        if (error instanceof ApiConflictError) continue;
        throw this.#failed(`creating the ${kind}`, error);
      }
    }
  }

  /** Patches both configurations' `webhooks` for this client config, where they differ from the last patch. */
  async reconcile(clientConfig: WebhookClientConfig): Promise<void> {
    for (const type of ['validating', 'mutating'] as const) {
      await this.#patch(type, this.#entries(type, clientConfig, false));
    }
  }

  /** Leaves only the persistent handlers' entries (on exit); nothing if never reconciled. */
  async cleanup(clientConfig: WebhookClientConfig): Promise<void> {
    for (const type of ['validating', 'mutating'] as const) {
      if (!this.#applied.has(type)) continue;
      this.#options.logger.info(`Cleaning up the ${type} webhook ${this.#options.managed}.`);
      await this.#patch(type, this.#entries(type, clientConfig, true));
    }
  }

  #entries(type: WebhookType, clientConfig: WebhookClientConfig, persistentOnly: boolean): WebhookEntry[] {
    const handlers = (this.#options.registry.ofCategory('webhook') as WebhookHandler[]).filter(
      (handler) => handler.type === type,
    );
    return buildWebhookEntries(handlers, {
      resources: this.#options.resources,
      managed: this.#options.managed,
      clientConfig,
      persistentOnly,
      ...(this.#options.timeoutSeconds !== undefined ? { timeoutSeconds: this.#options.timeoutSeconds } : {}),
    });
  }

  async #patch(type: WebhookType, webhooks: readonly WebhookEntry[]): Promise<void> {
    const text = JSON.stringify(webhooks);
    if (this.#applied.get(type) === text) return;
    const { kind } = KINDS[type];
    this.#options.logger.info(`Reconfiguring the ${type} webhook ${this.#options.managed}.`);
    const ref = { name: this.#options.managed, namespace: undefined };
    const patch = { webhooks };
    try {
      const patched = await patchObject(this.#options.client, resourceOf(type), ref, patch, {
        type: 'merge',
      });
      if (patched === undefined) {
        this.#options.logger.warning(`The ${kind} ${this.#options.managed} is gone; creating it again.`);
        await this.ensure();
        await patchObject(this.#options.client, resourceOf(type), ref, patch, { type: 'merge' });
      }
    } catch (error) {
      if (error instanceof WebhookConfigurationError) throw error;
      throw this.#failed(`patching the ${kind}`, error);
    }
    this.#applied.set(type, text);
  }

  #failed(step: string, error: unknown): WebhookConfigurationError {
    const name = this.#options.managed;
    const hint =
      error instanceof ApiForbiddenError
        ? ` Grant the operator create and patch on ${GROUP} validatingwebhookconfigurations and mutatingwebhookconfigurations.`
        : '';
    const message = `Managing the webhook configuration ${name} failed while ${step}: ${(error as Error).message}.${hint}`;
    this.#options.logger.error(message);
    return new WebhookConfigurationError(message, { cause: error });
  }
}
