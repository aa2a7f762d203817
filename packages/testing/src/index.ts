/**
 * @packageDocumentation
 * Testing kopf-ts operators without a cluster: a fake Kubernetes API server that
 * speaks the real REST protocol over HTTPS, and an in-process operator runner.
 */

export type { UserSpec } from './fake-api-server/authentication.js';
export type { AuthorizeHook, UserInfo } from './fake-api-server/authorization.js';
export type { KeyPair, ServerPki } from './fake-api-server/certificates.js';
export { generateServerPki } from './fake-api-server/certificates.js';
export type { FakeApiServerCli, FakeApiServerCliOptions } from './fake-api-server/cli.js';
export {
  FakeApiServerCliError,
  parseFakeApiServerCliArgs,
  startFakeApiServerCli,
} from './fake-api-server/cli.js';
export type { CounterFilter, RequestCounters } from './fake-api-server/counters.js';
export type {
  DelayFault,
  DropOptions,
  FailureFault,
  Faults,
  RequestFilter,
  WatchFilter,
} from './fake-api-server/faults.js';
export type { VersionInfo } from './fake-api-server/nonresource.js';
export type { NonResourceRequest, RequestInfo, ResourceRequest } from './fake-api-server/request-info.js';
export type { FakeApiServerOptions, KubeconfigOptions } from './fake-api-server/server.js';
export { FakeApiServer } from './fake-api-server/server.js';
export type { Status, StatusCause, StatusDetails } from './fake-api-server/statuses.js';
export { StatusError } from './fake-api-server/statuses.js';
export type { ServiceReference, ServiceResolver } from './fake-api-server/webhooks.js';
export { PersistenceError } from './fake-api-server/write-ahead-log.js';
export { FakeClock } from './fake-clock.js';
export type { ObjectAddress, WaitOptions } from './runner/cluster.js';
export { Cluster, WaitTimeoutError } from './runner/cluster.js';
export type { EventuallyOptions } from './runner/eventually.js';
export { eventually } from './runner/eventually.js';
export type { RunOperatorOptions } from './runner/running.js';
export { OperatorRun, runOperator } from './runner/running.js';
