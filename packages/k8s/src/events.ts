/**
 * Kubernetes Events (core/v1) about objects, with Kopf's exact body (kopf-reference
 * 2.10): `generateName: kopf-event-`, `source.component: kopf`, the involved
 * object's reference, microsecond timestamps, the message cut to 1024 characters
 * with `...` in the middle. Posting never throws: Events are auxiliary, failures
 * are logged. `EventPoster` batches duplicates and limits each object's rate, so a
 * hot loop cannot flood the API.
 */
import type { KubernetesObject } from '@kopf/core';
import type { ApiClient } from './client.js';

/** What an Event says about which object. */
export interface EventSpec {
  /** The object the Event is about (its apiVersion, kind, metadata.name/uid/namespace). */
  readonly involved: KubernetesObject;
  /** `Normal`, `Warning`, or Kopf's log-level types (`Debug`, `Error`, `Fatal`). */
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

/** Kopf's `settings.posting` fields that go into the body. */
export interface EventBodyOptions {
  /** Default `kopf`. */
  readonly reportingComponent?: string | undefined;
  /** Default `dev`. */
  readonly reportingInstance?: string | undefined;
  /** Default `kopf-event-`. */
  readonly eventNamePrefix?: string | undefined;
  /** For cluster-scoped objects; default: the client's default namespace, else `default`. */
  readonly defaultNamespace?: string | undefined;
}

/** Receives warnings about Events that could not be posted (a `Logger` fits). */
export interface EventLogger {
  /** Logs why an Event could not be posted (posting never throws). */
  warning(message: string, ...details: unknown[]): void;
}

/** Options of {@link postEvent}. */
export interface PostEventOptions extends EventBodyOptions {
  readonly logger?: EventLogger | undefined;
  readonly signal?: AbortSignal | undefined;
  /** How many occurrences this Event stands for (set by {@link EventPoster}). */
  readonly count?: number | undefined;
  readonly firstTimestamp?: Date | undefined;
  readonly lastTimestamp?: Date | undefined;
}

/** The longest message Kopf posts. */
export const MAX_EVENT_MESSAGE_LENGTH = 1024;

/** Cuts a long message to `limit` characters, keeping its start and end around `...`. */
export function truncateEventMessage(message: string, limit: number = MAX_EVENT_MESSAGE_LENGTH): string {
  if (message.length <= limit) return message;
  const infix = '...';
  const head = Math.floor(limit / 2) - Math.floor(infix.length / 2);
  const tail = limit - head - infix.length;
  return `${message.slice(0, head)}${infix}${message.slice(message.length - tail)}`;
}

/** An ISO timestamp with microseconds, as Kubernetes' MicroTime and Kopf print them. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Whether the object is itself a core Event (Events about Events would feed back). */
function isCoreEvent(object: KubernetesObject): boolean {
  return object.apiVersion === 'v1' && object.kind === 'Event';
}

/** Kopf's Event body for an object (see the module comment). */
export function buildEventBody(
  spec: EventSpec,
  options: PostEventOptions & { readonly now?: Date | undefined } = {},
): Record<string, unknown> {
  const meta = spec.involved.metadata ?? {};
  const namespace = meta.namespace || options.defaultNamespace || 'default';
  const now = options.now ?? new Date();
  const body: Record<string, unknown> = {
    metadata: { namespace, generateName: options.eventNamePrefix ?? 'kopf-event-' },
    action: 'Action?',
    type: spec.type,
    reason: spec.reason,
    message: truncateEventMessage(spec.message),
    reportingComponent: options.reportingComponent ?? 'kopf',
    reportingInstance: options.reportingInstance ?? 'dev',
    source: { component: options.reportingComponent ?? 'kopf' },
    involvedObject: {
      apiVersion: spec.involved.apiVersion,
      kind: spec.involved.kind,
      name: meta.name,
      uid: meta.uid,
      namespace,
    },
    firstTimestamp: microTime(options.firstTimestamp ?? now),
    lastTimestamp: microTime(options.lastTimestamp ?? now),
    eventTime: microTime(now),
  };
  if (options.count !== undefined && options.count > 1) body.count = options.count;
  return body;
}

/**
 * Posts one Event now. Resolves `true` when posted, `false` when skipped (an Event
 * about an Event) or failed; failures are logged through `options.logger`
 * (default: `console.warn`), never thrown.
 */
export async function postEvent(
  client: ApiClient,
  spec: EventSpec,
  options: PostEventOptions = {},
): Promise<boolean> {
  if (isCoreEvent(spec.involved)) return false;
  const body = buildEventBody(spec, {
    ...options,
    defaultNamespace: options.defaultNamespace ?? client.defaultNamespace,
  });
  const namespace = (body.metadata as { namespace: string }).namespace;
  try {
    await client.request({
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
      body,
      signal: options.signal,
    });
    return true;
  } catch (error) {
    const logger = options.logger ?? { warning: (message: string) => console.warn(message) };
    logger.warning(
      `Failed to post an event. Ignoring and continuing. Error: ${error instanceof Error ? error.message : String(error)} ` +
        `Event: type=${JSON.stringify(spec.type)}, reason=${JSON.stringify(spec.reason)}, message=${JSON.stringify(truncateEventMessage(spec.message))}.`,
    );
    return false;
  }
}
