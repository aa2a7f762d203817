/**
 * @packageDocumentation
 * Talking to Kubernetes for kopf-ts: connection and authentication (through
 * `@kubernetes/client-node`'s KubeConfig), discovery, list+watch that never silently
 * stalls, patches, Events and Leases. Errors are the `ApiError` family.
 */

export type { StatusBody } from './errors.js';
export {
  ApiConflictError,
  ApiConnectionError,
  ApiError,
  ApiForbiddenError,
  ApiGoneError,
  ApiNotFoundError,
  ApiTooManyRequestsError,
  ApiUnauthorizedError,
  ApiUnprocessableError,
  apiErrorFor,
} from './errors.js';
