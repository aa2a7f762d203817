/**
 * AdmissionReview in and out: reading what the API server sends (rejecting what
 * cannot be served with an HTTP status, never a crash) and building the answer from
 * the handlers' failures, warnings and JSON Patch — with Kopf's choice of the one
 * error to report: AdmissionError first, then PermanentError, TemporaryError, others.
 */
import {
  AdmissionError,
  type Body,
  describeHandler,
  KopfError,
  PermanentError,
  TemporaryError,
  type UserInfo,
  type WebhookHandler,
  type WebhookOperation,
} from '@kopf/core';
import type { Operation } from 'fast-json-patch';

/** An AdmissionReview that cannot be served; `status` is the HTTP status to answer with. */
export class AdmissionRequestError extends KopfError {
  override name = 'AdmissionRequestError';
  /** 400 malformed, 404 no handlers for the resource, 413 too large. */
  readonly status: number;

  constructor(message: string, options: { readonly status?: number; readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? 400;
  }
}

/** The `request` of an AdmissionReview, as the handlers need it. */
export interface AdmissionRequest {
  readonly uid: string;
  /** The resource in the version the webhook's rule asked for. */
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subresource: string | undefined;
  readonly operation: WebhookOperation;
  readonly userInfo: UserInfo;
  /** The object as submitted (CREATE, UPDATE, CONNECT). */
  readonly object: Body | undefined;
  /** The stored object (UPDATE, DELETE). */
  readonly oldObject: Body | undefined;
  readonly dryRun: boolean;
}

/** A parsed AdmissionReview: its type (echoed in the answer) and its request. */
export interface AdmissionReview {
  readonly apiVersion: string;
  readonly kind: string;
  readonly request: AdmissionRequest;
}

/** The `response` of an AdmissionReview. */
export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly warnings?: readonly string[];
  /** Base64 of the JSON Patch. */
  readonly patch?: string;
  readonly patchType?: 'JSONPatch';
  readonly status?: { readonly code: number; readonly message: string; readonly reason?: string };
}

/** The answer to an AdmissionReview. */
export interface AdmissionReviewAnswer {
  readonly apiVersion: string;
  readonly kind: string;
  readonly response: AdmissionResponse;
}

const VERSIONS = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'];
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(what: string): AdmissionRequestError {
  return new AdmissionRequestError(
    `Reading the AdmissionReview failed: ${what}. Send an admission.k8s.io/v1 AdmissionReview, as kube-apiserver does.`,
  );
}

function optionalObject(request: Json, key: string): Body | undefined {
  const value = request[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw malformed(`request.${key} is not an object`);
  return value as Body;
}

function resourceOf(request: Json): AdmissionRequest['resource'] {
  const resource = request.resource;
  if (!isObject(resource)) throw malformed('request.resource is missing');
  const { group, version, resource: plural } = resource;
  if (typeof group !== 'string' || typeof version !== 'string' || typeof plural !== 'string' || !plural)
    throw malformed('request.resource needs group, version and resource as strings');
  return { group, version, resource: plural };
}

/**
 * Reads an AdmissionReview (a parsed JSON body).
 *
 * @throws AdmissionRequestError (status 400) naming what is missing or malformed.
 * @example
 * const review = parseReview(JSON.parse(text)); // review.request.operation === 'CREATE'
 */
export function parseReview(review: unknown): AdmissionReview {
  if (!isObject(review)) throw malformed('the body is not a JSON object');
  const apiVersion = review.apiVersion ?? 'admission.k8s.io/v1';
  const kind = review.kind ?? 'AdmissionReview';
  if (typeof apiVersion !== 'string' || !VERSIONS.includes(apiVersion))
    throw malformed(`apiVersion ${JSON.stringify(apiVersion)} is not one of ${VERSIONS.join(', ')}`);
  if (kind !== 'AdmissionReview') throw malformed(`kind ${JSON.stringify(kind)} is not AdmissionReview`);
  const request = review.request;
  if (!isObject(request)) throw malformed('request is missing');
  if (typeof request.uid !== 'string' || !request.uid) throw malformed('request.uid is missing');
  const operation = request.operation;
  if (typeof operation !== 'string' || !OPERATIONS.includes(operation))
    throw malformed(`request.operation ${JSON.stringify(operation)} is not one of ${OPERATIONS.join(', ')}`);
  if (!isObject(request.userInfo)) throw malformed('request.userInfo is missing');
  const object = optionalObject(request, 'object');
  const oldObject = optionalObject(request, 'oldObject');
  if (!object && !oldObject) throw malformed('both request.object and request.oldObject are missing');
  const subresource = request.subResource;
  return {
    apiVersion,
    kind,
    request: {
      uid: request.uid,
      resource: resourceOf(request),
      subresource: typeof subresource === 'string' && subresource ? subresource : undefined,
      operation: operation as WebhookOperation,
      userInfo: request.userInfo as UserInfo,
      object,
      oldObject,
      dryRun: request.dryRun === true,
    },
  };
}

/** A handler that did not succeed, and why. */
export interface AdmissionFailure {
  readonly handler: WebhookHandler;
  readonly error: unknown;
}

/** What the handlers of one request came to. */
export interface AdmissionVerdict {
  /** In the order the handlers ran. */
  readonly failures: readonly AdmissionFailure[];
  readonly warnings: readonly string[];
  /** The changes of mutating handlers; sent only when allowed. */
  readonly patch: readonly Operation[];
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function rank(error: unknown): number {
  if (error instanceof AdmissionError) return 0;
  if (error instanceof PermanentError) return 1;
  if (error instanceof TemporaryError) return 2;
  return 9;
}

/**
 * The message the client sees: the handler's own words for Kopf's errors (they are
 * meant for users), and for anything else which handler failed and how.
 */
export function failureMessage(failure: AdmissionFailure): string {
  const { error, handler } = failure;
  if (error instanceof KopfError) return error.message || error.name;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${describeHandler(handler)} failed with ${detail}`;
}

/** The code of the reported failure: an AdmissionError's own, or 500. */
function failureCode(error: unknown): number {
  return error instanceof AdmissionError ? error.code : 500;
}

/**
 * The answer to `review`: allowed when no handler failed; otherwise the failure
 * of the highest priority as `status` (message and code, with a reason kubectl
 * prints for the well-known codes). Warnings always; the patch only when allowed.
 *
 * @example
 * buildAnswer(review, { failures: [], warnings: ['watched'], patch: [] }).response.allowed; // true
 */
export function buildAnswer(review: AdmissionReview, verdict: AdmissionVerdict): AdmissionReviewAnswer {
  const reported = [...verdict.failures].sort((a, b) => rank(a.error) - rank(b.error))[0];
  const allowed = reported === undefined;
  const code = reported ? failureCode(reported.error) : 0;
  const reason = REASONS[code];
  const response: AdmissionResponse = {
    uid: review.request.uid,
    allowed,
    ...(verdict.warnings.length > 0 ? { warnings: verdict.warnings.map(String) } : {}),
    ...(allowed && verdict.patch.length > 0
      ? {
          patch: Buffer.from(JSON.stringify(verdict.patch), 'utf8').toString('base64'),
          patchType: 'JSONPatch' as const,
        }
      : {}),
    ...(reported
      ? { status: { code, message: failureMessage(reported), ...(reason ? { reason } : {}) } }
      : {}),
  };
  return { apiVersion: review.apiVersion, kind: review.kind, response };
}
