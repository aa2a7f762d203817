/**
 * @packageDocumentation
 * Testing kopf-ts operators without a cluster: a fake Kubernetes API server that
 * speaks the real REST protocol over HTTPS, and an in-process operator runner.
 */

export type { Status, StatusCause, StatusDetails } from './fake-api-server/statuses.js';
export { StatusError } from './fake-api-server/statuses.js';

export { FakeClock } from './fake-clock.js';
