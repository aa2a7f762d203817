/**
 * The Table columns of the built-in kinds, as kube-apiserver's built-in printers make
 * them (kubernetes `pkg/printers/internalversion/printers.go`): ConfigMap Data counts,
 * Deployment `ready/replicas`, Pod Ready/Status/Restarts, Service ports, Event
 * `kind/name` objects without a Name column, and so on; Age cells are pre-rendered
 * durations, as those printers declare them `string`.
 */
import { eventsV1ToCoreEvent } from './events-conversion.js';
import type { ColumnDefinition } from './kinds.js';
import { isJsonObject, type JsonObject, metaOf } from './objects.js';
import { bindingRole } from './rbac.js';
import { humanDuration } from './tables.js';

type Cell = (object: JsonObject, now: Date) => unknown;

function column(name: string, type: string, cell: Cell, jsonPath = ''): ColumnDefinition {
  return { name, type, jsonPath, cell };
}

function field(object: unknown, ...path: string[]): unknown {
  let value = object;
  for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
  return value;
}

function count(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return isJsonObject(value) ? Object.keys(value).length : 0;
}

function number(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function since(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(timestamp));
}

const AGE = column(
  'Age',
  'string',
  (object, now) => since(metaOf(object).creationTimestamp, now),
  '.metadata.creationTimestamp',
);

/** The default table convertor's `Created At` (an RFC 3339 date, not a duration). */
function createdAt(): ColumnDefinition {
  return column(
    'Created At',
    'date',
    (object) => metaOf(object).creationTimestamp ?? '',
    '.metadata.creationTimestamp',
  );
}

function podReady(pod: JsonObject): string {
  const statuses = field(pod, 'status', 'containerStatuses');
  const ready = Array.isArray(statuses)
    ? statuses.filter((status) => field(status, 'ready') === true).length
    : 0;
  return `${ready}/${count(field(pod, 'spec', 'containers'))}`;
}

function podStatus(pod: JsonObject): string {
  if (metaOf(pod).deletionTimestamp) return 'Terminating';
  const statuses = field(pod, 'status', 'containerStatuses');
  const waiting = Array.isArray(statuses)
    ? statuses.map((status) => field(status, 'state', 'waiting', 'reason')).find(Boolean)
    : undefined;
  return String(waiting ?? field(pod, 'status', 'reason') ?? field(pod, 'status', 'phase') ?? '');
}

function podRestarts(pod: JsonObject): number {
  const statuses = field(pod, 'status', 'containerStatuses');
  return Array.isArray(statuses)
    ? statuses.reduce((sum: number, status) => sum + number(field(status, 'restartCount')), 0)
    : 0;
}

function servicePorts(service: JsonObject): string {
  const ports = field(service, 'spec', 'ports');
  if (!Array.isArray(ports) || ports.length === 0) return '<none>';
  return ports
    .map((port) => {
      const nodePort = field(port, 'nodePort');
      const protocol = String(field(port, 'protocol') ?? 'TCP');
      return `${String(field(port, 'port'))}${nodePort ? `:${String(nodePort)}` : ''}/${protocol}`;
    })
    .join(',');
}

function externalIp(service: JsonObject): string {
  const ips = field(service, 'spec', 'externalIPs');
  if (Array.isArray(ips) && ips.length > 0) return ips.join(',');
  return field(service, 'spec', 'type') === 'LoadBalancer' ? '<pending>' : '<none>';
}

/** Event cells read the core/v1 shape; events.k8s.io/v1 views are converted back first. */
function coreEvent(event: JsonObject): JsonObject {
  return event.apiVersion === 'events.k8s.io/v1' ? eventsV1ToCoreEvent(event) : event;
}

function eventLastSeen(view: JsonObject, now: Date): string {
  const event = coreEvent(view);
  const last =
    field(event, 'series', 'lastObservedTime') ?? field(event, 'lastTimestamp') ?? field(event, 'eventTime');
  return since(last ?? metaOf(event).creationTimestamp, now);
}

function eventObject(view: JsonObject): string {
  const event = coreEvent(view);
  const kind = String(field(event, 'involvedObject', 'kind') ?? '').toLowerCase();
  return `${kind}/${String(field(event, 'involvedObject', 'name') ?? '')}`;
}

function jobStatus(job: JsonObject): string {
  const conditions = field(job, 'status', 'conditions');
  const done = Array.isArray(conditions)
    ? conditions.find(
        (condition) =>
          field(condition, 'status') === 'True' &&
          ['Complete', 'Failed', 'Suspended'].includes(String(field(condition, 'type'))),
      )
    : undefined;
  return done ? String(field(done, 'type')) : 'Running';
}

function jobDuration(job: JsonObject, now: Date): string {
  const start = field(job, 'status', 'startTime');
  if (typeof start !== 'string') return '';
  const end = field(job, 'status', 'completionTime');
  return humanDuration((typeof end === 'string' ? Date.parse(end) : now.getTime()) - Date.parse(start));
}

/** The columns of each built-in kind (by plural), after the Name column. */
export const BUILTIN_COLUMNS: Readonly<Record<string, readonly ColumnDefinition[]>> = {
  namespaces: [column('Status', 'string', (ns) => field(ns, 'status', 'phase') ?? ''), AGE],
  configmaps: [column('Data', 'integer', (cm) => count(cm.data) + count(cm.binaryData)), AGE],
  secrets: [
    column('Type', 'string', (secret) => secret.type ?? ''),
    column('Data', 'integer', (secret) => count(secret.data)),
    AGE,
  ],
  serviceaccounts: [column('Secrets', 'integer', (sa) => count(sa.secrets)), AGE],
  services: [
    column('Type', 'string', (svc) => field(svc, 'spec', 'type') ?? ''),
    column('Cluster-IP', 'string', (svc) => field(svc, 'spec', 'clusterIP') || '<none>'),
    column('External-IP', 'string', externalIp),
    column('Port(s)', 'string', servicePorts),
    AGE,
  ],
  pods: [
    column('Ready', 'string', podReady),
    column('Status', 'string', podStatus),
    column('Restarts', 'string', (pod) => String(podRestarts(pod))),
    AGE,
  ],
  events: [
    column('Last Seen', 'string', eventLastSeen),
    column('Type', 'string', (event) => event.type ?? ''),
    column('Reason', 'string', (event) => event.reason ?? ''),
    column('Object', 'string', eventObject),
    column('Message', 'string', (event) => coreEvent(event).message ?? ''),
  ],
  deployments: [
    column(
      'Ready',
      'string',
      (d) => `${number(field(d, 'status', 'readyReplicas'))}/${number(field(d, 'spec', 'replicas') ?? 1)}`,
    ),
    column('Up-to-date', 'integer', (d) => number(field(d, 'status', 'updatedReplicas'))),
    column('Available', 'integer', (d) => number(field(d, 'status', 'availableReplicas'))),
    AGE,
  ],
  replicasets: [
    column('Desired', 'integer', (rs) => number(field(rs, 'spec', 'replicas') ?? 1)),
    column('Current', 'integer', (rs) => number(field(rs, 'status', 'replicas'))),
    column('Ready', 'integer', (rs) => number(field(rs, 'status', 'readyReplicas'))),
    AGE,
  ],
  jobs: [
    column('Status', 'string', jobStatus),
    column(
      'Completions',
      'string',
      (job) =>
        `${number(field(job, 'status', 'succeeded'))}/${number(field(job, 'spec', 'completions') ?? 1)}`,
    ),
    column('Duration', 'string', jobDuration),
    AGE,
  ],
  leases: [column('Holder', 'string', (lease) => field(lease, 'spec', 'holderIdentity') ?? ''), AGE],
  customresourcedefinitions: [createdAt()],
  roles: [createdAt()],
  clusterroles: [createdAt()],
  rolebindings: [column('Role', 'string', bindingRole), AGE],
  clusterrolebindings: [column('Role', 'string', bindingRole), AGE],
  validatingwebhookconfigurations: [column('Webhooks', 'integer', (config) => count(config.webhooks)), AGE],
  mutatingwebhookconfigurations: [column('Webhooks', 'integer', (config) => count(config.webhooks)), AGE],
};
