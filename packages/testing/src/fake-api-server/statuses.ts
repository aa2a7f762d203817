/**
 * `kind: Status` bodies exactly as kube-apiserver writes them
 * (apimachinery `pkg/api/errors/errors.go`): the fake's errors must read the same
 * to kubectl and client-node as the real ones.
 */

export interface StatusCause {
  readonly type?: string;
  readonly message?: string;
  readonly field?: string;
  readonly reason?: string;
}

/** The `details` of a `Status`: which object the failure concerns, and why (its causes). */
export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

/** The `v1` `Status` body the server answers failures with (as kube-apiserver does). */
export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure' | 'Success';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: StatusDetails;
  readonly code: number;
}

/** An error the server answers with: the HTTP code and the Status body. */
export class StatusError extends Error {
  override name = 'StatusError';
  readonly status: Status;

  constructor(status: Status) {
    super(status.message);
    this.status = status;
  }

  /** The HTTP status code to answer with. */
  get code(): number {
    return this.status.code;
  }
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details: compactDetails(details) } : {}),
    code,
  };
  return new StatusError(status);
}

/** `kopfexamples.kopf.dev`, or `configmaps` for the core group, as messages print it. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(group: string, plural: string, name: string): StatusError {
  return failure(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, {
    name,
    group,
    kind: plural,
  });
}

export function alreadyExists(group: string, plural: string, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, {
    name,
    group,
    kind: plural,
  });
}

export function conflict(group: string, plural: string, name: string): StatusError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ` +
      'the object has been modified; please apply your changes to the latest version and try again',
    { name, group, kind: plural },
  );
}

export function unknownPath(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/** 403 Forbidden as `NewForbidden` words it: `configmaps "x" is forbidden: <why>`. */
export function forbidden(
  group: string,
  plural: string,
  name: string,
  why: string,
  causes?: readonly StatusCause[],
): StatusError {
  const resource = plural ? qualifiedResource(group, plural) : '';
  const message = !resource
    ? `forbidden: ${why}`
    : name
      ? `${resource} "${name}" is forbidden: ${why}`
      : `${resource} is forbidden: ${why}`;
  return failure(403, 'Forbidden', message, { name, group, kind: plural, ...(causes ? { causes } : {}) });
}

/** 405 MethodNotAllowed, e.g. `create` on a subresource that only allows `update`. */
export function methodNotAllowed(message: string): StatusError {
  return failure(405, 'MethodNotAllowed', message, {});
}

/** 415 for a body (or patch) type the resource does not accept. */
export function unsupportedMediaType(accepted: readonly string[]): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    {},
  );
}

/** 406 when nothing in `Accept` can be produced. */
export function notAcceptable(accepted: readonly string[]): StatusError {
  return failure(
    406,
    'NotAcceptable',
    `only the following media types are accepted: ${accepted.join(', ')}`,
    {},
  );
}

/** 410 Expired: a watch or list resource version (or continue token) older than the kept history. */
export function expired(message: string): StatusError {
  return failure(410, 'Expired', message, {});
}

/** 410 Expired for a resource version before the compacted history (the watch cache's wording). */
export function tooOldResourceVersion(requested: number, oldest: number): StatusError {
  return expired(`too old resource version: ${requested} (${oldest})`);
}

/** 429 as API Priority and Fairness rejects a request; `Retry-After` goes in a header too. */
export function tooManyRequests(retryAfterSeconds: number): StatusError {
  return failure(429, 'TooManyRequests', 'Too many requests, please try again later.', {
    retryAfterSeconds,
  });
}

/** 500 InternalError: `Internal error occurred: <message>`. */
export function internalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

/** 503 ServiceUnavailable. */
export function serviceUnavailable(message: string, retryAfterSeconds?: number): StatusError {
  return failure(503, 'ServiceUnavailable', message, retryAfterSeconds ? { retryAfterSeconds } : {});
}

/** 504 Timeout, e.g. a resource version from the future. */
export function timeout(message: string, retryAfterSeconds: number): StatusError {
  return failure(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds });
}

/** 413 RequestEntityTooLarge. */
export function requestEntityTooLarge(message: string): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/** 422 Invalid from the JSON-patch engine (`NewGenericServerResponse(422, …)`: the detail is not shown). */
export function patchRejected(): StatusError {
  return failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** The `Success` Status a DELETE answers with when the object is gone at once. */
export function deletedStatus(
  group: string,
  plural: string,
  name: string,
  uid: string,
): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group, kind: plural, uid },
  };
}

/** Go's `omitempty`: empty strings and absent values are not written. */
function compactDetails(details: StatusDetails): StatusDetails {
  return Object.fromEntries(
    Object.entries(details).filter(([, value]) => value !== '' && value !== undefined),
  ) as StatusDetails;
}
