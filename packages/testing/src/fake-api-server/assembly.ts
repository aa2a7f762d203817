/**
 * Assembling what the request pipeline needs from the server's options: the admission
 * chain (namespace lifecycle, webhooks), authentication of extra users, the
 * authorizer (hook, then RBAC when enforced) and the reviews that ask it, content
 * handling (strategic merge, protobuf, tables, OpenAPI), and the store's durability
 * for answers and watches.
 */
import { answerReview, type ReviewHost } from './access-reviews.js';
import { AdmissionChain, customResourceTerminating, namespaceLifecycle } from './admission.js';
import { userOf } from './authentication.js';
import { type Decision, decide, type UserInfo } from './authorization.js';
import { RequestCounters } from './counters.js';
import { type FaultHost, Faults } from './faults.js';
import type { HandlingContext } from './handling.js';
import type { VersionInfo } from './nonresource.js';
import type { JsonObject } from './objects.js';
import { OpenApiDocuments } from './openapi-documents.js';
import { decodeProtobufObject } from './protobuf.js';
import { RbacAuthorizer } from './rbac.js';
import type { ResourceRegistry } from './registry.js';
import type { RequestInfo } from './request-info.js';
import type { FakeApiServerOptions } from './server-options.js';
import { badRequest, failure } from './statuses.js';
import type { ObjectStore } from './store.js';
import { StrategicMergeError, strategicMergePatch } from './strategic-merge.js';
import { renderTable } from './tables.js';
import type { WatchStream } from './watch-streams.js';
import { mutatingWebhooks, validatingWebhooks, type WebhookHost } from './webhooks.js';

const DEFAULT_VERSION: VersionInfo = { major: '1', minor: '33', gitVersion: 'v1.33.4' };

/** What the context reaches back into the running server for. */
export interface ServerHooks extends Pick<FaultHost, 'watches'> {
  readonly address: () => string;
  readonly register: (stream: WatchStream, bookmark: () => void) => () => void;
}

/** Strategic merge with the real server's answers to bad patches (400 or 422). */
function strategicMerge(
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  target: { group: string; version: string; kind: string },
): Record<string, unknown> {
  try {
    return strategicMergePatch(original, patch, target);
  } catch (error) {
    if (!(error instanceof StrategicMergeError)) throw error;
    throw error.code === 422 ? failure(422, 'Invalid', error.message, {}) : badRequest(error.message);
  }
}

function rbacDecision(rbac: RbacAuthorizer, user: UserInfo, info: RequestInfo): Decision {
  const decision = rbac.authorize(user, info);
  return decision.allowed ? { allowed: true, reason: '' } : { allowed: false, reason: decision.reason };
}

/** What a user may do in a namespace (SelfSubjectRulesReview): everything without RBAC or for the admin. */
function rulesFor(
  rbac: RbacAuthorizer,
  enforced: boolean,
  user: UserInfo,
  namespace: string,
): { resource: JsonObject[]; nonResource: JsonObject[] } {
  if (!enforced || user.groups.includes('system:masters')) {
    return {
      resource: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResource: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    };
  }
  const rules = rbac.rulesFor(user, namespace);
  return {
    resource: rules.filter((rule) => rule.resources !== undefined),
    nonResource: rules.filter((rule) => rule.nonResourceURLs !== undefined),
  };
}

function admissionChain(
  store: ObjectStore,
  registry: ResourceRegistry,
  options: FakeApiServerOptions,
): AdmissionChain {
  const webhookHost: WebhookHost = {
    configurations: (kind) => store.list(`admissionregistration.k8s.io/${kind}webhookconfigurations`),
    namespace: (name) => store.get('/namespaces', name),
    equivalents: (type) => registry.all().filter((other) => other.storage === type.storage && other !== type),
    ...(options.serviceResolver ? { serviceResolver: options.serviceResolver } : {}),
  };
  return new AdmissionChain([
    namespaceLifecycle((name) => store.get('/namespaces', name)),
    mutatingWebhooks(webhookHost),
    customResourceTerminating,
    validatingWebhooks(webhookHost),
  ]);
}

/** The whole handling context of a server. */
export function assembleContext(
  options: FakeApiServerOptions,
  store: ObjectStore,
  registry: ResourceRegistry,
  token: string,
  hooks: ServerHooks,
): HandlingContext {
  const openApi = new OpenApiDocuments(registry);
  const rbac = new RbacAuthorizer(store);
  const users = new Map(Object.entries(options.users ?? {}).map(([key, spec]) => [key, userOf(spec)]));
  const authorizer = options.rbac
    ? (user: UserInfo, info: RequestInfo) => rbacDecision(rbac, user, info)
    : undefined;
  const reviews: ReviewHost = {
    decide: (user, info) => decide(options.authorize, authorizer, user, info),
    rulesFor: (user, namespace) => rulesFor(rbac, options.rbac === true, user, namespace),
  };
  const persistent = options.persistTo !== undefined;
  return {
    store,
    registry,
    now: () => new Date(),
    admission: admissionChain(store, registry, options),
    token,
    counters: new RequestCounters(),
    faults: new Faults({ watches: hooks.watches, compact: () => store.compact() }),
    version: options.version ?? DEFAULT_VERSION,
    serverAddress: hooks.address,
    defaultTimeoutSeconds: () => options.watchTimeoutSeconds ?? 1800 * (1 + Math.random()),
    register: hooks.register,
    strategicMerge,
    decodeProtobuf: decodeProtobufObject,
    renderTable: (objects, type, tableOptions) =>
      renderTable(objects, type.columns, {
        now: new Date(),
        nameColumn: type.nameColumn ?? true,
        ...tableOptions,
      }),
    openApi: (path) => openApi.lookup(path),
    ...(options.authorize ? { authorize: options.authorize } : {}),
    ...(authorizer ? { authorizer } : {}),
    users,
    review: (type, body, user) => answerReview(type, body, user, reviews),
    ...(persistent
      ? {
          durable: () => store.whenDurable(),
          durability: {
            revision: () => store.durableRevision,
            when: (revision) => store.whenDurable(revision),
          },
        }
      : {}),
  };
}
