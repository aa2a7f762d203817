/**
 * Admission webhooks as two admission plugins, the way kube-apiserver's
 * MutatingAdmissionWebhook and ValidatingAdmissionWebhook dispatch them: the matching
 * webhooks of every configuration (configurations by name, webhooks in order) get an
 * AdmissionReview v1 with the request's kind, resource, user, objects, dryRun and
 * options. Mutating webhooks run one after another, their JSON patches applied, and
 * those with `reinvocationPolicy: IfNeeded` run once more when a later one changed
 * the object; validating webhooks run in parallel. A denial reaches the client as
 * `admission webhook "<name>" denied the request: <message>` with the webhook's code
 * (at least 400); warnings become `Warning` headers; a webhook that cannot be called
 * (connection, timeout, bad answer) fails the request with 500 unless its
 * `failurePolicy` is Ignore. Requests for webhook configurations themselves are not
 * sent to webhooks, so a broken webhook can always be removed.
 */
import { randomUUID } from 'node:crypto';
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';
import { type ResourceType, storedOf, viewOf } from './kinds.js';
import { cloneJson, isJsonObject, type JsonObject, jsonEqual, metaOf } from './objects.js';
import { badRequest, internalError, StatusError } from './statuses.js';
import { CallingWebhookError, callWebhook, type ServiceResolver } from './webhook-calls.js';

export type { ServiceReference, ServiceResolver } from './webhook-calls.js';

import { type Webhook, webhooksOf } from './webhook-configurations.js';
import { rulesMatch, selectorsMatch } from './webhook-matching.js';

/** What the webhook plugins read from the server. */
export interface WebhookHost {
  /** The stored configurations of a kind, ordered by name. */
  readonly configurations: (kind: 'mutating' | 'validating') => readonly JsonObject[];
  readonly namespace: (name: string) => JsonObject | undefined;
  /** Other served versions of the same resource (for `matchPolicy: Equivalent`). */
  readonly equivalents: (type: ResourceType) => readonly ResourceType[];
  readonly serviceResolver?: ServiceResolver;
}

const parsed = new WeakMap<JsonObject, Webhook[]>();

function webhooksIn(configurations: readonly JsonObject[]): Webhook[] {
  return configurations.flatMap((configuration) => {
    let webhooks = parsed.get(configuration);
    if (!webhooks) {
      webhooks = webhooksOf(configuration);
      parsed.set(configuration, webhooks);
    }
    return webhooks;
  });
}

/** One webhook that will be called, and the version of the resource it asked for. */
interface Invocation {
  readonly webhook: Webhook;
  readonly type: ResourceType;
}

function labelsOf(object: JsonObject | undefined): Record<string, string> | undefined {
  return object ? (metaOf(object).labels ?? {}) : undefined;
}

function namespaceLabels(request: AdmissionRequest, host: WebhookHost): Record<string, string> | undefined {
  const { type } = request;
  if (type.group === '' && type.plural === 'namespaces')
    return labelsOf(request.object ?? request.oldObject) ?? {};
  if (!type.namespaced) return undefined;
  const namespace = host.namespace(request.namespace);
  return namespace ? (metaOf(namespace).labels ?? {}) : {};
}

/** The matching webhooks of a kind for a request, each with the type it matched through. */
function invocationsFor(
  kind: 'mutating' | 'validating',
  request: AdmissionRequest,
  host: WebhookHost,
): Invocation[] {
  const { type } = request;
  if (type.group === 'admissionregistration.k8s.io') return [];
  const webhooks = webhooksIn(host.configurations(kind));
  if (webhooks.length === 0) return [];
  const target = {
    operation: request.operation,
    group: type.group,
    version: type.version,
    resource: type.plural,
    subresource: request.subresource,
    namespace: type.namespaced ? request.namespace : '',
  };
  const inputs = {
    namespaceLabels: namespaceLabels(request, host),
    objectLabels: labelsOf(request.object),
    oldObjectLabels: labelsOf(request.oldObject),
  };
  const out: Invocation[] = [];
  for (const webhook of webhooks) {
    let via: ResourceType | undefined = rulesMatch(webhook.rules, target) ? type : undefined;
    if (!via && webhook.matchPolicy === 'Equivalent') {
      via = host.equivalents(type).find((other) =>
        rulesMatch(webhook.rules, {
          ...target,
          group: other.group,
          version: other.version,
          resource: other.plural,
        }),
      );
    }
    if (via && selectorsMatch(webhook, inputs)) out.push({ webhook, type: via });
  }
  return out;
}

function convert(
  object: JsonObject | undefined,
  from: ResourceType,
  to: ResourceType,
): JsonObject | undefined {
  if (!object || from === to) return object;
  return viewOf(to, storedOf(from, object));
}

function reviewOf(request: AdmissionRequest, invocation: Invocation, uid: string): JsonObject {
  const asked = invocation.type;
  const { type, subresource } = request;
  const kind = request.kind ?? { group: asked.group, version: asked.version, kind: asked.kind };
  const requestKind = request.kind ?? { group: type.group, version: type.version, kind: type.kind };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind,
      resource: { group: asked.group, version: asked.version, resource: asked.plural },
      ...(subresource ? { subResource: subresource } : {}),
      requestKind,
      requestResource: { group: type.group, version: type.version, resource: type.plural },
      ...(subresource ? { requestSubResource: subresource } : {}),
      ...(request.name ? { name: request.name } : {}),
      ...(type.namespaced && request.namespace ? { namespace: request.namespace } : {}),
      operation: request.operation,
      userInfo: { username: request.user?.username ?? '', groups: [...(request.user?.groups ?? [])] },
      object: (request.kind ? request.object : convert(request.object, type, asked)) ?? null,
      oldObject: convert(request.oldObject, type, asked) ?? null,
      dryRun: request.dryRun,
      ...(request.options ? { options: request.options } : {}),
    },
  };
}

/** The Status a denial answers with (kube's `ToStatusErr`). */
function denial(webhook: Webhook, response: JsonObject): StatusError {
  const status = isJsonObject(response.status) ? response.status : {};
  const deniedBy = `admission webhook ${JSON.stringify(webhook.name)} denied the request`;
  const message = status.message
    ? `${deniedBy}: ${String(status.message)}`
    : status.reason
      ? `${deniedBy}: ${String(status.reason)}`
      : `${deniedBy} without explanation`;
  const code = Math.max(Number(status.code) || 0, 400);
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(status.reason ? { reason: String(status.reason) } : {}),
    ...(isJsonObject(status.details) ? { details: status.details } : {}),
    code,
  });
}

/** Calls one webhook under its failure policy; `undefined` when ignored. Denials throw. */
async function invoke(
  invocation: Invocation,
  request: AdmissionRequest,
  host: WebhookHost,
): Promise<{ response: JsonObject; uid: string } | undefined> {
  const { webhook } = invocation;
  if (request.dryRun && webhook.sideEffects !== 'None' && webhook.sideEffects !== 'NoneOnDryRun')
    throw badRequest(`admission webhook ${JSON.stringify(webhook.name)} does not support dry run`);
  const uid = randomUUID();
  let response: JsonObject;
  try {
    response = await callWebhook(webhook, reviewOf(request, invocation, uid), uid, host.serviceResolver);
  } catch (error) {
    if (!(error instanceof CallingWebhookError)) throw error;
    if (webhook.failurePolicy === 'Ignore') return undefined;
    throw internalError(error.message);
  }
  if (response.allowed !== true) throw denial(webhook, response);
  if (Array.isArray(response.warnings)) request.warnings?.push(...response.warnings.map(String));
  return { response, uid };
}

/** Applies a mutating webhook's JSON patch to the object (in the version it asked for). */
function patched(
  invocation: Invocation,
  request: AdmissionRequest,
  response: JsonObject,
): JsonObject | undefined {
  const { webhook } = invocation;
  if (response.patch === undefined || response.patch === null) return undefined;
  if (response.patchType !== 'JSONPatch') {
    if (webhook.failurePolicy === 'Ignore') return undefined;
    throw internalError(
      new CallingWebhookError(
        webhook.name,
        `unsupported patch type ${JSON.stringify(response.patchType ?? '')}`,
      ).message,
    );
  }
  let operations: unknown;
  try {
    operations = JSON.parse(Buffer.from(String(response.patch), 'base64').toString('utf8'));
  } catch (error) {
    throw internalError((error as Error).message);
  }
  if (!Array.isArray(operations) || operations.length === 0) return undefined;
  if (!request.object) {
    throw internalError(
      `admission webhook ${JSON.stringify(webhook.name)} attempted to modify the object, which is not supported for this operation`,
    );
  }
  const asked = convert(request.object, request.type, invocation.type) as JsonObject;
  try {
    const result = jsonpatch.applyPatch(cloneJson(asked), operations as Operation[], true, false).newDocument;
    return convert(result, invocation.type, request.type);
  } catch (error) {
    throw internalError((error as Error).message);
  }
}

/** MutatingAdmissionWebhook. */
export function mutatingWebhooks(host: WebhookHost): AdmissionPlugin {
  return {
    name: 'MutatingAdmissionWebhook',
    mutate: async (request) => {
      const invocations = invocationsFor('mutating', request, host);
      if (invocations.length === 0) return undefined;
      let object = request.object;
      const changedAt: number[] = [];
      const run = async (invocation: Invocation, index: number): Promise<void> => {
        const outcome = await invoke(invocation, { ...request, ...(object ? { object } : {}) }, host);
        if (!outcome) return;
        const result = patched(invocation, { ...request, ...(object ? { object } : {}) }, outcome.response);
        if (result && !jsonEqual(result, object)) {
          object = result;
          changedAt.push(index);
        }
      };
      for (const [index, invocation] of invocations.entries()) await run(invocation, index);
      const again = invocations
        .map((invocation, index) => ({ invocation, index }))
        .filter(
          ({ invocation, index }) =>
            invocation.webhook.reinvocationPolicy === 'IfNeeded' && changedAt.some((at) => at > index),
        );
      for (const { invocation, index } of again) await run(invocation, invocations.length + index);
      return object;
    },
  };
}

/** ValidatingAdmissionWebhook. */
export function validatingWebhooks(host: WebhookHost): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionWebhook',
    validate: async (request) => {
      const invocations = invocationsFor('validating', request, host);
      if (invocations.length === 0) return;
      const outcomes = await Promise.allSettled(
        invocations.map((invocation) => invoke(invocation, request, host)),
      );
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
  };
}
