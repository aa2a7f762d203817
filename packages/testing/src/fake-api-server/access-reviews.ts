/**
 * The review kinds a client creates to ask about itself, answered at once and never
 * stored: SelfSubjectAccessReview ("can I?", `kubectl auth can-i`),
 * SelfSubjectRulesReview (`kubectl auth can-i --list`) and SelfSubjectReview
 * (`kubectl auth whoami`). They ask the same authorizer that guards requests.
 */
import type { UserInfo } from './authorization.js';
import type { ResourceType } from './kinds.js';
import { isJsonObject, type JsonObject } from './objects.js';
import type { RequestInfo } from './request-info.js';
import { badRequest } from './statuses.js';

/** What a review needs from the server: the authorizer's decision and the rules a user has. */
export interface ReviewHost {
  readonly decide: (user: UserInfo, request: RequestInfo) => { allowed: boolean; reason: string };
  readonly rulesFor: (
    user: UserInfo,
    namespace: string,
  ) => { resource: JsonObject[]; nonResource: JsonObject[] };
}

/** The review kinds: `group/plural` of the types answered by `answerReview`. */
export const REVIEW_RESOURCES: ReadonlySet<string> = new Set([
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'authentication.k8s.io/selfsubjectreviews',
]);

function spec(body: JsonObject): JsonObject {
  return isJsonObject(body.spec) ? body.spec : {};
}

function accessRequest(body: JsonObject): RequestInfo {
  const attributes = spec(body);
  if (isJsonObject(attributes.nonResourceAttributes)) {
    const { path, verb } = attributes.nonResourceAttributes;
    return { kind: 'nonresource', verb: String(verb ?? ''), path: String(path ?? '') };
  }
  if (!isJsonObject(attributes.resourceAttributes))
    throw badRequest(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec: resourceAttributes or nonResourceAttributes is required',
    );
  const attrs = attributes.resourceAttributes;
  return {
    kind: 'resource',
    verb: String(attrs.verb ?? '') as never,
    group: String(attrs.group ?? ''),
    version: String(attrs.version ?? ''),
    namespace: String(attrs.namespace ?? ''),
    resource: String(attrs.resource ?? ''),
    name: String(attrs.name ?? ''),
    subresource: String(attrs.subresource ?? ''),
  };
}

/** The answer to creating a review object of `type` (201), for the requesting user. */
export function answerReview(
  type: ResourceType,
  body: JsonObject,
  user: UserInfo,
  host: ReviewHost,
): JsonObject {
  const head = {
    kind: type.kind,
    apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
    metadata: { creationTimestamp: null },
  };
  if (type.plural === 'selfsubjectreviews') {
    return { ...head, status: { userInfo: { username: user.username, groups: [...user.groups] } } };
  }
  if (type.plural === 'selfsubjectrulesreviews') {
    const rules = host.rulesFor(user, String(spec(body).namespace ?? ''));
    return {
      ...head,
      spec: spec(body),
      status: { resourceRules: rules.resource, nonResourceRules: rules.nonResource, incomplete: false },
    };
  }
  const decision = host.decide(user, accessRequest(body));
  return {
    ...head,
    spec: spec(body),
    status: { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) },
  };
}
