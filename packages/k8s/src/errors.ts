/**
 * Errors of talking to Kubernetes, named by what the API server answered. The
 * transport's own errors (sockets, TLS, client-node) never leave this package
 * unwrapped: they become `ApiConnectionError` with the original as `cause`.
 */

/** The `kind: Status` body the API server sends with an error. */
export interface StatusBody {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly {
      readonly type?: string;
      readonly message?: string;
      readonly field?: string;
    }[];
    readonly retryAfterSeconds?: number;
  };
}

/** An HTTP error from the API server, with its Status body when there was one. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: number;
  readonly status: StatusBody | undefined;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(code: number, message: string, status?: StatusBody, retryAfter?: number) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** The Status `reason` (`NotFound`, `Conflict`, `Expired`, …), if any. */
  get reason(): string | undefined {
    return this.status?.reason;
  }

  /**
   * Whether repeating the same request later may succeed: server errors, throttling
   * and conflicts are temporary; other client errors are permanent.
   */
  get temporary(): boolean {
    return this.code >= 500 || this.code === 429 || this.code === 409;
  }
}

/** 401: the credentials are missing, wrong or expired. */
export class ApiUnauthorizedError extends ApiError {
  override name = 'ApiUnauthorizedError';
}
/** 403: authenticated, but not allowed (RBAC, or a terminating namespace). */
export class ApiForbiddenError extends ApiError {
  override name = 'ApiForbiddenError';
}
/** 404: the object, the resource or the namespace does not exist. */
export class ApiNotFoundError extends ApiError {
  override name = 'ApiNotFoundError';
}
/** 409: a stale resourceVersion, or the object already exists. */
export class ApiConflictError extends ApiError {
  override name = 'ApiConflictError';
}
/** 410: the requested resourceVersion is too old; list again. */
export class ApiGoneError extends ApiError {
  override name = 'ApiGoneError';
}
/** 422: the object or patch is invalid (also a failed JSON-patch `test`). */
export class ApiUnprocessableError extends ApiError {
  override name = 'ApiUnprocessableError';
}
/** 429: throttled; `retryAfter` says for how long. */
export class ApiTooManyRequestsError extends ApiError {
  override name = 'ApiTooManyRequestsError';
}

const BY_CODE: Record<number, typeof ApiError> = {
  401: ApiUnauthorizedError,
  403: ApiForbiddenError,
  404: ApiNotFoundError,
  409: ApiConflictError,
  410: ApiGoneError,
  422: ApiUnprocessableError,
  429: ApiTooManyRequestsError,
};

/** Builds the most specific {@link ApiError} for an HTTP status and its body. */
export function apiErrorFor(code: number, body: unknown, context: string, retryAfter?: number): ApiError {
  const status = isStatusBody(body) ? body : undefined;
  const detail = status?.message ?? (typeof body === 'string' && body ? body.slice(0, 500) : `HTTP ${code}`);
  const ErrorClass = BY_CODE[code] ?? ApiError;
  const hint = hintFor(code, detail);
  return new ErrorClass(code, `${context} failed: ${detail}${hint}`, status, retryAfter);
}

const HINTS: Record<number, string> = {
  401: 'The credentials were rejected: check the kubeconfig user, the token, or the login handler.',
  403: "Check the RBAC permissions of the operator's account.",
};

/**
 * A hint for the statuses with a usual fix. Not every 403 is RBAC's: admission
 * webhooks deny with it and terminating namespaces refuse with it, and their
 * messages say why already; RBAC's say `User "…" cannot …`.
 */
function hintFor(code: number, detail: string): string {
  const hint = HINTS[code];
  if (hint === undefined) return '';
  if (code === 403 && !/\bcannot\b/.test(detail)) return '';
  return `${/[.!?]$/.test(detail) ? '' : '.'} ${hint}`;
}

function isStatusBody(body: unknown): body is StatusBody {
  return typeof body === 'object' && body !== null && (body as StatusBody).kind === 'Status';
}

/**
 * The API server could not be reached, the connection broke, or it did not answer
 * in time; see `cause`. The message is one line naming the URL (never credentials).
 */
export class ApiConnectionError extends Error {
  override name = 'ApiConnectionError';
}

/**
 * The configuration could not be loaded: no kubeconfig, an unknown context, a
 * missing service-account file, or an invalid `ConnectionInfo`. The message names
 * the source and the fix.
 */
export class ApiConfigError extends Error {
  override name = 'ApiConfigError';
}

/**
 * No usable credentials: the login function failed or returned nothing, or every
 * credential it returned was rejected by the server with 401.
 */
export class ApiLoginError extends Error {
  override name = 'ApiLoginError';
}
