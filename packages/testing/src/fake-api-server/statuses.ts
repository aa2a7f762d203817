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

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

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
    code,
  };
  return new StatusError(details ? { ...status, details } : status);
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
