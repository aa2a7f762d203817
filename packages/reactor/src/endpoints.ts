/**
 * Opening the operator's HTTP endpoints: liveness (with `/readyz` beside it) and
 * Prometheus metrics, each at the URL its option gives. Port 0 picks a free port;
 * the URLs actually served are reported back.
 */
import type { Logger } from '@kopf/core';
import type { Health } from './health.js';
import type { Metrics } from './metrics.js';
import { type Probes, probingRoutes } from './probing.js';
import { type Endpoint, parseEndpoint, serveEndpoint } from './serving.js';

/** What the endpoints serve. */
export interface EndpointSources {
  readonly health: Health;
  readonly probes: Probes;
  readonly metrics: Metrics | undefined;
  /** Why the operator is not ready (empty when ready). */
  readonly notReady: () => string[];
  readonly logger: Logger;
}

/** The endpoints opened, and their base URLs. */
export interface OpenedEndpoints {
  readonly endpoints: Endpoint[];
  readonly livenessUrl: string | undefined;
  readonly metricsUrl: string | undefined;
}

/**
 * Opens the endpoints the options ask for.
 *
 * @throws EndpointError when a URL is not `http://` or its port cannot be bound.
 */
export async function openEndpoints(
  options: { readonly liveness?: string | undefined; readonly metrics?: string | undefined },
  sources: EndpointSources,
): Promise<OpenedEndpoints> {
  const endpoints: Endpoint[] = [];
  let livenessUrl: string | undefined;
  let metricsUrl: string | undefined;
  try {
    if (options.liveness) {
      sources.health.start();
      const path = parseEndpoint(options.liveness, 'liveness').path;
      const routes = probingRoutes(path, sources);
      const endpoint = await serveEndpoint(options.liveness, 'liveness', routes);
      endpoints.push(endpoint);
      livenessUrl = endpoint.url;
      sources.logger.debug(`Serving health status at ${endpoint.url}${path}`);
    }
    if (options.metrics && sources.metrics) {
      const path = parseEndpoint(options.metrics, 'metrics').path;
      const endpoint = await serveEndpoint(options.metrics, 'metrics', { [path]: sources.metrics.route() });
      endpoints.push(endpoint);
      metricsUrl = endpoint.url;
      sources.logger.debug(`Serving metrics at ${endpoint.url}${path}`);
    }
  } catch (error) {
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
    throw error;
  }
  return { endpoints, livenessUrl, metricsUrl };
}
