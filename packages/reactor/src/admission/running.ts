/**
 * Admission, start to end, independent of the `Operator`: serve the admission
 * handlers through `settings.admission.server` and, when `settings.admission.managed`
 * names a configuration, create and keep in sync the Validating and Mutating
 * WebhookConfigurations — on every new client config the server yields (start,
 * certificate renewal) and every change of the resources — until the signal aborts;
 * then leave only the persistent handlers' entries.
 */
import type {
  AdmissionServer,
  Body,
  EventSink,
  Indexes,
  Memo,
  Registry,
  Resource,
  ResourceSelector,
  WebhookClientConfig,
} from '@kopf/core';
import { KopfError } from '@kopf/core';
import type { ApiClient } from '@kopf/k8s';
import { type Clock, systemClock } from '../clock.js';
import { createLogger } from '../loggers.js';
import type { LogSink } from '../logging.js';
import type { ResolvedSettings } from '../settings.js';
import { type AdmissionContext, admissionHandler } from './admitting.js';
import { ManagedConfigurations } from './configurations.js';
import { resourceView } from './resource-views.js';
import { AdmissionRequestError } from './reviews.js';

/** Options of {@link runAdmission}. */
export interface AdmissionOptions {
  readonly client: ApiClient;
  readonly registry: Registry;
  /** `admission.server` and `admission.managed` are read once, at start (after startup handlers). */
  readonly settings: ResolvedSettings;
  readonly clock?: Clock;
  readonly logs: LogSink;
  /** The resources a selector resolves to (the operator's discovery); default: discovered here. */
  readonly resources?: (selector: ResourceSelector) => readonly Resource[];
  /** Stops serving; the configurations are cleaned up, then the promise resolves. */
  readonly signal: AbortSignal;
  /** The operator-wide memo (the handlers get a shallow copy per request). */
  readonly memo?: Memo;
  /** A known object's memo, for UPDATE and DELETE requests. */
  readonly recallMemo?: (body: Body) => Memo | undefined;
  readonly indexes?: Indexes;
  /** Where `info()`/`warn()`/`event()` in handlers post. */
  readonly eventSink?: EventSink;
  /** `timeoutSeconds` of the managed entries (1–30); default 30, as Kopf. */
  readonly timeoutSeconds?: number;
  /** Seconds between re-reads of a given `resources` function for changes; default 10. */
  readonly resync?: number;
  /** Told each client config once it is served (and, if managed, configured). */
  readonly onServing?: (config: WebhookClientConfig) => void;
}

/** Admission handlers exist but cannot be served as configured. */
export class AdmissionConfigurationError extends KopfError {
  override name = 'AdmissionConfigurationError';
}

/**
 * Serves the admission handlers until `signal` aborts. Resolves at once when there is
 * neither a server nor an admission handler.
 *
 * @throws AdmissionConfigurationError when admission handlers exist but no server is
 * configured; WebhookServerError when the server cannot start; WebhookConfigurationError
 * when the managed configurations cannot be created or patched.
 * @example
 * const controller = new AbortController();
 * const done = runAdmission({ client, registry, settings, logs, signal: controller.signal });
 * // … on stop:
 * controller.abort();
 * await done;
 */
export async function runAdmission(options: AdmissionOptions): Promise<void> {
  const { registry, settings, signal } = options;
  const logger = createLogger({ sink: options.logs, name: 'kopf.admission' });
  const server = settings.admission.server;
  const handlers = registry.ofCategory('webhook');
  if (!server) {
    if (handlers.length === 0) return;
    const ids = handlers.map((handler) => `'${handler.id}'`).join(', ');
    throw new AdmissionConfigurationError(
      `Serving the admission handlers ${ids} failed: no webhook server is configured. Set one, e.g. ` +
        "settings: { admission: { server: new WebhookServer(), managed: 'auto.kopf.dev' } }.",
    );
  }
  if (signal.aborted) return;
  const stopping = new AbortController();
  const stop = (): void => stopping.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await serveAdmission(server, options, stopping, logger);
  } finally {
    signal.removeEventListener('abort', stop);
    stopping.abort();
  }
}

/**
 * Serving and managing until `stopping` aborts (the caller's signal), or serving fails
 * (then it is aborted here, which ends the resource discovery too).
 */
async function serveAdmission(
  server: AdmissionServer,
  options: AdmissionOptions,
  stopping: AbortController,
  logger: ReturnType<typeof createLogger>,
): Promise<void> {
  const { registry, settings } = options;
  const signal = stopping.signal;
  const clock = options.clock ?? systemClock;
  const onError = (error: unknown): void =>
    logger.warning(`Resource discovery failed; will retry: ${String(error)}`);
  const view = await resourceView({
    client: options.client,
    clock,
    ...(options.resources ? { resources: options.resources } : {}),
    resync: options.resync ?? 10,
    signal,
    onError,
  });
  const context: AdmissionContext = {
    ...options,
    clock,
    resources: view.resources,
    timeout: options.timeoutSeconds ?? 30,
  };
  const managedName = settings.admission.managed;
  const managed = managedName
    ? new ManagedConfigurations({
        client: options.client,
        registry,
        managed: managedName,
        resources: view.resources,
        logger,
        ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
      })
    : undefined;

  let current: WebhookClientConfig | undefined;
  let queue: Promise<void> = Promise.resolve();
  const reconcile = (config: WebhookClientConfig): Promise<void> => {
    const next = queue.then(() => managed?.reconcile(config));
    queue = next.catch(() => {});
    return next;
  };
  const following = view.follow(async () => {
    if (current) await reconcile(current).catch((error: unknown) => logger.error(String(error)));
  }, signal);
  try {
    await managed?.ensure();
    const handle = loggedHandler(admissionHandler(context), logger);
    for await (const config of server.serve(handle, { signal })) {
      current = config;
      await reconcile(config);
      logger.info(`Serving admission webhooks at ${describe(config)}.`);
      options.onServing?.(config);
    }
  } finally {
    stopping.abort();
    await following.catch(() => {});
    await queue;
    if (managed && current) {
      await managed.cleanup(current).catch((error: unknown) => logger.error(String(error)));
    }
  }
}

function describe(config: WebhookClientConfig): string {
  if (config.url !== undefined) return config.url;
  const service = config.service;
  return service ? `service ${service.namespace}/${service.name}${service.path ?? ''}` : 'an unknown address';
}

/** The handler, with requests that cannot be served logged (they are answered by the server). */
function loggedHandler(
  handle: ReturnType<typeof admissionHandler>,
  logger: ReturnType<typeof createLogger>,
): ReturnType<typeof admissionHandler> {
  return async (review, request) => {
    try {
      return await handle(review, request);
    } catch (error) {
      if (error instanceof AdmissionRequestError)
        logger.warning(`Refused an admission request: ${error.message}`);
      else logger.error('Serving an admission request failed.', error);
      throw error;
    }
  };
}
