/**
 * Serving resource requests: scope and subresource checks, content negotiation, and
 * the dispatch of each Kubernetes verb to the reading, writing and watching modules,
 * with the real status codes (201 on create, the object or a Status on delete, the
 * deleted list on deletecollection).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeObject, parseJson, readBody } from './bodies.js';
import { groupVersionOf, type ResourceType, type Verb, viewOf } from './kinds.js';
import { bodyEncodingOf, negotiateOutput, type OutputFormat, patchTypeOf } from './negotiation.js';
import { isJsonObject, type JsonObject } from './objects.js';
import {
  isSelected,
  type ListPage,
  listBody,
  listObjects,
  parseListQuery,
  partialMetadata,
} from './reading.js';
import type { ResourceRegistry } from './registry.js';
import type { ResourceRequest } from './request-info.js';
import { sendObject } from './responses.js';
import { badRequest, methodNotAllowed, unknownPath } from './statuses.js';
import { parseWatchQuery, serveWatch, type WatchContext } from './watching.js';
import {
  createObject,
  currentObject,
  type DeleteOptions,
  deleteObject,
  type ObjectAddress,
  patchObject,
  updateObject,
  type WriteContext,
  type WriteOptions,
} from './writing.js';

/** Renders objects as a `meta.k8s.io` Table (the `tables.ts` contract). */
export type TableRenderer = (
  objects: readonly JsonObject[],
  type: ResourceType,
  options: { resourceVersion: string; continue?: string; includeObject?: 'None' | 'Metadata' | 'Object' },
) => JsonObject;

/** What resource requests need from the server. */
export interface ResourceContext extends WriteContext, WatchContext {
  readonly registry: ResourceRegistry;
  readonly renderTable?: TableRenderer;
  readonly decodeProtobuf?: (body: Uint8Array) => JsonObject;
}

const SUBRESOURCE_VERBS: Readonly<Record<string, readonly string[]>> = {
  '': ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  status: ['get', 'update', 'patch'],
  finalize: ['update'],
};

function notAllowed(): never {
  throw methodNotAllowed('the server does not allow this method on the requested resource');
}

/** Resolves the type and checks scope, subresource and verb; returns the object address. */
function resolve(registry: ResourceRegistry, info: ResourceRequest): ObjectAddress {
  const type = registry.lookup(info.group, info.version, info.resource);
  if (!type) throw unknownPath();
  const isNamespace = type.group === '' && type.plural === 'namespaces';
  if (!type.namespaced && info.namespace && !(isNamespace && info.namespace === info.name))
    throw unknownPath();
  const needsNamespace = type.namespaced && !['list', 'watch'].includes(info.verb);
  if (needsNamespace && !info.namespace) throw unknownPath();
  if (info.subresource && !(type.subresources as readonly string[]).includes(info.subresource))
    throw unknownPath();
  if (!(SUBRESOURCE_VERBS[info.subresource] ?? []).includes(info.verb)) notAllowed();
  if (!type.verbs.includes(info.verb)) notAllowed();
  return { type, namespace: type.namespaced ? info.namespace : '', name: info.name };
}

function supportedDryRun(params: URLSearchParams, fromBody: unknown): boolean {
  const values = [...params.getAll('dryRun'), ...(Array.isArray(fromBody) ? fromBody.map(String) : [])];
  const bad = values.find((value) => value !== 'All');
  if (bad !== undefined)
    throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(bad)}: supported values: "All"`);
  return values.length > 0;
}

function writeOptions(params: URLSearchParams): WriteOptions {
  const manager = params.get('fieldManager');
  if (manager && manager.length > 128)
    throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
  const validation = params.get('fieldValidation');
  if (validation && !['Ignore', 'Warn', 'Strict'].includes(validation)) {
    throw badRequest(
      `fieldValidation: Unsupported value: ${JSON.stringify(validation)}: supported values: "Ignore", "Strict", "Warn"`,
    );
  }
  return { dryRun: supportedDryRun(params, undefined) };
}

function readFormat(context: ResourceContext, req: IncomingMessage): OutputFormat {
  return negotiateOutput(req.headers.accept, {
    table: context.renderTable !== undefined,
    discovery: false,
    partialMetadata: true,
  });
}

function tableOf(
  context: ResourceContext,
  type: ResourceType,
  page: ListPage,
  params: URLSearchParams,
  version: string,
): JsonObject {
  const include = params.get('includeObject') as 'None' | 'Metadata' | 'Object' | null;
  const table = (context.renderTable as TableRenderer)(page.items, type, {
    resourceVersion: String(page.resourceVersion),
    ...(page.continue ? { continue: page.continue } : {}),
    ...(include ? { includeObject: include } : {}),
  });
  return { ...table, apiVersion: `meta.k8s.io/${version}` };
}

function partialOf(type: ResourceType, page: ListPage, single: boolean, version: string): JsonObject {
  const items = page.items.map((item) => partialMetadata(item, version));
  if (single) return items[0] as JsonObject;
  return {
    ...listBody(type, page),
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    items,
  };
}

function readBodyOf(
  context: ResourceContext,
  type: ResourceType,
  format: OutputFormat,
  page: ListPage,
  single: boolean,
  params: URLSearchParams,
): JsonObject {
  if (format.kind === 'table' && context.renderTable)
    return tableOf(context, type, page, params, format.version);
  if (format.kind === 'partial-metadata') return partialOf(type, page, single, format.version);
  return single ? (page.items[0] as JsonObject) : listBody(type, page);
}

async function bodyObject(
  context: ResourceContext,
  req: IncomingMessage,
  type: ResourceType,
): Promise<JsonObject> {
  const encoding = bodyEncodingOf(
    req.headers['content-type'],
    type.builtin && context.decodeProtobuf !== undefined,
  );
  const body = await readBody(req);
  if (encoding === 'protobuf' && context.decodeProtobuf) {
    try {
      return context.decodeProtobuf(new Uint8Array(body));
    } catch (error) {
      throw badRequest(`error decoding protobuf body: ${(error as Error).message}`);
    }
  }
  return decodeObject(body, encoding === 'yaml' ? 'yaml' : 'json');
}

async function deleteOptions(req: IncomingMessage, params: URLSearchParams): Promise<DeleteOptions> {
  const raw = await readBody(req);
  const body = raw.length > 0 ? parseJson(raw) : {};
  if (!isJsonObject(body)) throw badRequest('DeleteOptions must be a JSON object');
  const preconditions = isJsonObject(body.preconditions) ? body.preconditions : undefined;
  const grace = body.gracePeriodSeconds ?? params.get('gracePeriodSeconds') ?? undefined;
  const propagation = body.propagationPolicy ?? params.get('propagationPolicy') ?? undefined;
  return {
    dryRun: supportedDryRun(params, body.dryRun),
    ...(preconditions
      ? {
          preconditions: {
            ...(preconditions.uid ? { uid: String(preconditions.uid) } : {}),
            ...(preconditions.resourceVersion
              ? { resourceVersion: String(preconditions.resourceVersion) }
              : {}),
          },
        }
      : {}),
    ...(propagation !== undefined ? { propagationPolicy: String(propagation) } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: Number(grace) } : {}),
  };
}

async function deleteCollection(
  context: ResourceContext,
  req: IncomingMessage,
  res: ServerResponse,
  address: ObjectAddress,
  params: URLSearchParams,
): Promise<void> {
  const { type } = address;
  const options = await deleteOptions(req, params);
  const query = parseListQuery(type, address.namespace, params);
  const deleted: JsonObject[] = [];
  for (const stored of context.store.list(
    type.storage,
    type.namespaced && address.namespace ? address.namespace : undefined,
  )) {
    const view = viewOf(type, stored);
    if (!isSelected(type, query, view)) continue;
    const meta = view.metadata as { name: string; namespace?: string };
    const outcome = deleteObject(
      context,
      { type, namespace: meta.namespace ?? '', name: meta.name },
      options,
    );
    deleted.push(outcome.gone ? view : outcome.body);
  }
  sendObject(res, 200, {
    kind: type.listKind,
    apiVersion: groupVersionOf(type),
    metadata: { resourceVersion: String(context.store.revision) },
    items: deleted,
  });
}

/** One resource request being served. */
interface Call {
  readonly context: ResourceContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly info: ResourceRequest;
  readonly address: ObjectAddress;
  readonly params: URLSearchParams;
}

function serveGet({ context, req, res, address, params }: Call): void {
  const format = readFormat(context, req);
  const object = currentObject(context, address);
  const page = { items: [object], resourceVersion: Number((object.metadata as JsonObject).resourceVersion) };
  sendObject(res, 200, readBodyOf(context, address.type, format, page, true, params), format);
}

function serveList({ context, req, res, address, params }: Call): void {
  const format = readFormat(context, req);
  const page = listObjects(
    context.store,
    address.type,
    parseListQuery(address.type, address.namespace, params),
  );
  sendObject(res, 200, readBodyOf(context, address.type, format, page, false, params), format);
}

function serveWatchCall({ context, req, res, address, params }: Call): void {
  const format = readFormat(context, req);
  const query = parseWatchQuery(address.type, address.namespace, params);
  const render =
    format.kind === 'table' && context.renderTable ? tableRenderer(context, address.type, params) : undefined;
  serveWatch({ ...context, ...(render ? { render } : {}) }, res, address.type, query);
}

async function serveCreate({ context, req, res, address, params }: Call): Promise<void> {
  const options = writeOptions(params);
  const body = await bodyObject(context, req, address.type);
  sendObject(res, 201, createObject(context, address.type, address.namespace, body, options));
}

async function serveUpdate({ context, req, res, info, address, params }: Call): Promise<void> {
  const options = writeOptions(params);
  const body = await bodyObject(context, req, address.type);
  sendObject(res, 200, updateObject(context, address, info.subresource, body, options));
}

async function servePatch({ context, req, res, info, address, params }: Call): Promise<void> {
  const options = writeOptions(params);
  const strategic = address.type.builtin && context.strategicMerge !== undefined;
  const patchType = patchTypeOf(req.headers['content-type'], strategic);
  const patch = parseJson(await readBody(req));
  sendObject(res, 200, patchObject(context, address, info.subresource, patchType, patch, options));
}

async function serveDelete({ context, req, res, address, params }: Call): Promise<void> {
  const outcome = deleteObject(context, address, await deleteOptions(req, params));
  sendObject(res, 200, outcome.body);
}

const HANDLERS: Readonly<Record<Verb, (call: Call) => void | Promise<void>>> = {
  get: serveGet,
  list: serveList,
  watch: serveWatchCall,
  create: serveCreate,
  update: serveUpdate,
  patch: servePatch,
  delete: serveDelete,
  deletecollection: ({ context, req, res, address, params }) =>
    deleteCollection(context, req, res, address, params),
};

/** Serves one resource request. */
export async function serveResource(
  context: ResourceContext,
  req: IncomingMessage,
  res: ServerResponse,
  info: ResourceRequest,
  url: URL,
): Promise<void> {
  const address = resolve(context.registry, info);
  await HANDLERS[info.verb]({ context, req, res, info, address, params: url.searchParams });
}

function tableRenderer(
  context: ResourceContext,
  type: ResourceType,
  params: URLSearchParams,
): (view: JsonObject) => JsonObject {
  const include = (params.get('includeObject') as 'None' | 'Metadata' | 'Object' | null) ?? undefined;
  return (view) => {
    const resourceVersion = String((view.metadata as JsonObject | undefined)?.resourceVersion ?? '');
    const renderer = context.renderTable as TableRenderer;
    return renderer([view], type, { resourceVersion, ...(include ? { includeObject: include } : {}) });
  };
}
