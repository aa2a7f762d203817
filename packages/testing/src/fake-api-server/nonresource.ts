/**
 * The non-resource endpoints: discovery (legacy and aggregated by `Accept`), `/version`,
 * `/healthz` `/livez` `/readyz` (with `?verbose`), the root path list, and the OpenAPI
 * v3 documents kubectl's validation downloads. Anything else is the real 404 Status.
 */
import type { ServerResponse } from 'node:http';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { negotiateOutput } from './negotiation.js';
import type { JsonObject } from './objects.js';
import type { OpenApiDocument } from './openapi-documents.js';
import type { ResourceRegistry } from './registry.js';
import { sendBytes, sendObject, sendText } from './responses.js';
import { methodNotAllowed, unknownPath } from './statuses.js';

/** The `/version` document. */
export interface VersionInfo {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
}

/** What the non-resource endpoints need. */
export interface NonResourceContext {
  readonly registry: ResourceRegistry;
  readonly version: VersionInfo;
  readonly serverAddress: () => string;
  /** OpenAPI documents by path (`/openapi/v2`, `/openapi/v3`, `/openapi/v3/apis/G/V`). */
  readonly openApi?: (path: string) => OpenApiDocument | undefined;
}

const HEALTH_CHECKS = [
  'ping',
  'log',
  'etcd',
  'poststarthook/start-apiextensions-controllers',
  'poststarthook/crd-informer-synced',
];

function health(res: ServerResponse, kind: string, verbose: boolean): void {
  if (!verbose) {
    sendText(res, 200, 'ok');
    return;
  }
  const lines = HEALTH_CHECKS.map((check) => `[+]${check} ok`);
  sendText(res, 200, `${lines.join('\n')}\n${kind} check passed\n`);
}

function versionDocument(version: VersionInfo): JsonObject {
  return {
    major: version.major,
    minor: version.minor,
    gitVersion: version.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function discovery(
  context: NonResourceContext,
  res: ServerResponse,
  parts: string[],
  accept: string | undefined,
): boolean {
  const { registry } = context;
  const top = parts.length === 1;
  if (top) {
    const format = negotiateOutput(accept, { table: false, discovery: true, partialMetadata: false });
    const core = parts[0] === 'api';
    if (format.kind === 'discovery') {
      sendObject(res, 200, aggregatedDiscovery(registry, core, format.version), format);
    } else {
      sendObject(res, 200, core ? apiVersions(context.serverAddress()) : apiGroupList(registry), format);
    }
    return true;
  }
  const format = negotiateOutput(accept, { table: false, discovery: false, partialMetadata: false });
  let body: JsonObject | undefined;
  if (parts[0] === 'api' && parts.length === 2) body = apiResourceList(registry, '', parts[1] as string);
  if (parts[0] === 'apis' && parts.length === 2) body = apiGroup(registry, parts[1] as string);
  if (parts[0] === 'apis' && parts.length === 3)
    body = apiResourceList(registry, parts[1] as string, parts[2] as string);
  if (!body) return false;
  sendObject(res, 200, body, format);
  return true;
}

function rootPaths(registry: ResourceRegistry): JsonObject {
  const groups = registry
    .groups()
    .flatMap((group) =>
      group.name === ''
        ? ['/api', ...group.versions.map((v) => `/api/${v}`)]
        : [`/apis/${group.name}`, ...group.versions.map((v) => `/apis/${group.name}/${v}`)],
    );
  return { paths: ['/apis', ...groups, '/healthz', '/livez', '/openapi/v3', '/readyz', '/version'].sort() };
}

/** Serves a non-resource GET; throws 404/405 Statuses. */
export function serveNonResource(
  context: NonResourceContext,
  res: ServerResponse,
  method: string,
  url: URL,
  accept: string | undefined,
): void {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (method !== 'GET' && method !== 'HEAD') {
    throw path.startsWith('/api')
      ? methodNotAllowed('the server does not allow this method on the requested resource')
      : unknownPath();
  }
  const parts = path.split('/').filter((part) => part !== '');
  const healthKind = /^\/(healthz|livez|readyz)(\/[a-z/-]+)?$/.exec(path)?.[1];
  if (healthKind) {
    health(res, healthKind, url.searchParams.has('verbose'));
    return;
  }
  if (path === '/version') {
    sendObject(res, 200, versionDocument(context.version));
    return;
  }
  if (path === '/') {
    sendObject(res, 200, rootPaths(context.registry));
    return;
  }
  if ((parts[0] === 'api' || parts[0] === 'apis') && discovery(context, res, parts, accept)) return;
  const document = path.startsWith('/openapi/') ? context.openApi?.(path) : undefined;
  if (document) {
    sendBytes(res, document.contentType, document.body);
    return;
  }
  throw unknownPath();
}
