/**
 * @packageDocumentation
 * The engine of kopf-ts: per-object queues, cause detection, progress kept on the
 * object, retries, daemons and timers. Embeddable in any Node service.
 */

export type { ActivityContext } from './activities.js';
export { ActivityError, runActivity } from './activities.js';
export type { AdmissionContext, AdmissionRequestContext } from './admission/admitting.js';
export { admissionHandler, admit } from './admission/admitting.js';
export type { SelfSignedOptions, WebhookCertificates } from './admission/certificates.js';
export { CertificateError, selfSignedCertificates } from './admission/certificates.js';
export {
  WebhookDockerDesktopServer,
  WebhookK3dServer,
  WebhookMinikubeServer,
} from './admission/cluster-servers.js';
export type {
  ManagedConfigurationsOptions,
  MatchExpression,
  WebhookEntriesOptions,
  WebhookEntry,
  WebhookRule,
} from './admission/configurations.js';
export {
  buildWebhookEntries,
  clientConfigFor,
  ManagedConfigurations,
  WebhookConfigurationError,
  webhookEntryName,
} from './admission/configurations.js';
export { jsonPatchOf } from './admission/json-patches.js';
export type { ProvidedCertificate, ServingMaterial } from './admission/provided-certificates.js';
export { readProvidedCertificate } from './admission/provided-certificates.js';
export type {
  AdmissionFailure,
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReview,
  AdmissionReviewAnswer,
  AdmissionVerdict,
} from './admission/reviews.js';
export { AdmissionRequestError, buildAnswer, parseReview } from './admission/reviews.js';
export type { AdmissionOptions } from './admission/running.js';
export { AdmissionConfigurationError, runAdmission } from './admission/running.js';
export type { ReviewAnswer, ReviewReading, ReviewRequest } from './admission/webhook-requests.js';
export { errorAnswer, parseGoDuration, readReviewRequest } from './admission/webhook-requests.js';
export type { WebhookServerOptions } from './admission/webhook-server.js';
export { WebhookServer, WebhookServerError } from './admission/webhook-server.js';
export type { AnnotationKeysOptions } from './annotation-keys.js';
export {
  AnnotationKeys,
  AnnotationPrefixError,
  makeKeySuffix,
  makeSafeKey,
  markKey,
} from './annotation-keys.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export {
  detectKopfManagedPrefixes,
  KOPF_MANAGED_MARKER,
  KOPF_PREFIX,
  storeKopfManagedMarker,
} from './conventions.js';
export type {
  AnnotationsDiffBaseStorageOptions,
  EssenceComparison,
  EssenceComparisonOptions,
  StatusDiffBaseStorageOptions,
} from './diffbase.js';
export {
  AnnotationsDiffBaseStorage,
  compareWithLastHandled,
  MultiDiffBaseStorage,
  StatusDiffBaseStorage,
} from './diffbase.js';
export type { DiffOptions, DiffScope } from './diffs.js';
export { diff, EMPTY_DIFF } from './diffs.js';
export type { EssenceOptions } from './essence.js';
export { buildEssence, KUBECTL_LAST_APPLIED, removeAnnotations, removeEmptyStanzas } from './essence.js';
export type { HandlerOutcome } from './handler-states.js';
export { HandlerState } from './handler-states.js';
export { IndexStore, OperatorIndex, OperatorIndexes } from './indexes.js';
export { dumpKopfJson } from './kopf-json.js';
export type { LeaseSettings } from './leasing.js';
export type { FormatOptions, LogFormat, LogRecord, LogSink, StreamSinkOptions } from './logging.js';
export { formatRecord, MemorySink, objectPrefix, streamSink, teeSink } from './logging.js';
export type { MetricsSources } from './metrics.js';
export { Metrics } from './metrics.js';
export type { Peer, PeeringTarget, PeerRecord } from './peering.js';
export { detectIdentity, readPeers, writePeer } from './peering.js';
export type { FreezeOptions, PeeringCommandOptions } from './peering-resources.js';
export {
  freezeOperators,
  PEERING_YAML,
  PeeringResourceError,
  peeringResources,
  resumeOperators,
  selectPeeringResource,
} from './peering-resources.js';
export { Pressure } from './pressure.js';
export { PROBE_CACHE_SECONDS, READINESS_PATH } from './probing.js';
export type {
  AnnotationsProgressStorageOptions,
  SmartProgressStorageOptions,
  StatusProgressStorageOptions,
} from './progress.js';
export {
  AnnotationsProgressStorage,
  encodeProgressRecord,
  MultiProgressStorage,
  PROGRESS_RECORD_FIELDS,
  SmartProgressStorage,
  StatusProgressStorage,
} from './progress.js';
export type { ProcessingContext, Processor, QueueingOptions } from './queueing.js';
export { ObjectQueues } from './queueing.js';
export type { OperatorEvents, OperatorOptions } from './running.js';
export { Operator, StartupError } from './running.js';
export { EndpointError } from './serving.js';
export type { ResolvedSettings, SettingsOverrides } from './settings.js';
export { resolveSettings } from './settings.js';
export { run } from './signals.js';
export type { HandlerOutcomes, HandlerRef, StateCounters } from './states.js';
export { HandlerStateError, State } from './states.js';
export { DaemonStopper } from './stoppers.js';
export { DiffBaseRecordError, ProgressRecordError } from './storage-errors.js';
export type {
  DaemonReport,
  HandlerOutcomeKind,
  HandlerReport,
  StuckReason,
  StuckReport,
} from './telemetry.js';
export type { Moment } from './timestamps.js';
export { formatTimestamp, momentToMillis, Timestamp, TimestampParseError } from './timestamps.js';
export { Toggle, ToggleSet } from './toggles.js';
