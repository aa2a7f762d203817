/**
 * @packageDocumentation
 * Talking to Kubernetes for kopf-ts: connection and authentication (through
 * `@kubernetes/client-node`'s KubeConfig), discovery, list+watch that never silently
 * stalls, patches, Events and Leases. Errors are the `ApiError` family. Start from
 * `createApiClient()`, then `watchObjects()`, `patchObject()` and friends.
 */

export type { CountingClient } from './accounting.js';
export { countingClient, requestKey } from './accounting.js';
export type { ApiClient, ApiRequest, ClientOptions, HttpClient, RequestInfo } from './client.js';
export { createApiClient } from './client.js';
export type {
  ConnectionInfo,
  CredentialSource,
  Credentials,
  LoginFunction,
  TlsMaterial,
} from './credentials.js';
export { credentialsFromConnectionInfo, LoginVault, proxyFromEnvironment } from './credentials.js';
export type { ExponentialBackoff } from './delays.js';
export { DEFAULT_ERROR_BACKOFFS, exponentialDelay, parseRetryAfter, requestRetryDelay } from './delays.js';
export type { StatusBody } from './errors.js';
export {
  ApiConfigError,
  ApiConflictError,
  ApiConnectionError,
  ApiError,
  ApiForbiddenError,
  ApiGoneError,
  ApiLoginError,
  ApiNotFoundError,
  ApiTooManyRequestsError,
  ApiUnauthorizedError,
  ApiUnprocessableError,
  apiErrorFor,
} from './errors.js';
export type { EventPosterOptions } from './event-poster.js';
export { EventPoster } from './event-poster.js';
export type { EventBodyOptions, EventLogger, EventSpec, PostEventOptions } from './events.js';
export {
  buildEventBody,
  MAX_EVENT_MESSAGE_LENGTH,
  microTime,
  postEvent,
  truncateEventMessage,
} from './events.js';
export type { HttpClientSettings } from './http-client.js';
export { HttpApiClient } from './http-client.js';
export type { InClusterOptions } from './in-cluster.js';
export { InClusterSource, isInCluster, SERVICE_ACCOUNT_DIR } from './in-cluster.js';
export type { KubeConfigSpec } from './kubeconfig.js';
export { KubeConfigSource } from './kubeconfig.js';
export type { Lease, LeaseOptions } from './leases.js';
export { acquireLease, isLeaseExpired, releaseLease, renewLease } from './leases.js';
export type { NamespaceObserveOptions, NamespacePattern } from './namespaces.js';
export {
  matchNamespace,
  matchNamespacePattern,
  observeNamespaces,
  specificNamespaces,
} from './namespaces.js';
export { StreamParseError } from './ndjson.js';
export type {
  CallOptions,
  DeleteOptions,
  ListOptions,
  ObjectList,
  ObjectPage,
  ObjectRef,
  PatchOptions,
} from './objects.js';
export {
  createObject,
  deleteObject,
  getObject,
  listObjects,
  listPages,
  patchObject,
  planPatch,
  replaceObject,
  withTypeMeta,
} from './objects.js';
export type { ParsedPath, PathTarget, ResourceRef } from './paths.js';
export { parseResourcePath, resourcePath } from './paths.js';
export type { DiscoveryOptions, ObserveOptions } from './scanning.js';
export { discoverResources, observeResources, sameResources } from './scanning.js';
export type { ResourceSelection } from './selecting.js';
export { isSpecific, matchesSelector, resolveResources, selectResources } from './selecting.js';
export type { StreamEvent, WatchOptions, WatchRestart, WatchRestartReason } from './watching.js';
export { watchObjects } from './watching.js';
