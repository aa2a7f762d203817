/**
 * Serving resource requests: scope and subresource checks, content negotiation, and
 * the dispatch of each Kubernetes verb to the reading, writing and watching modules,
 * with the real status codes (201 on create and on create-on-apply, the object or a
 * Status on delete, the deleted list on deletecollection), admission warnings as
 * `Warning` headers, and writes answered only once they are durable.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REVIEW_RESOURCES } from './access-reviews.js';
import { applyObject } from './applying.js';
import type { UserInfo } from './authorization.js';
import { decodeObject, parseJson, readBody } from './bodies.js';
import { CONNECT_KINDS, connect } from './connecting.js';
import { type DeleteOptions, deleteObject, readDeleteOptions } from './deleting.js';
import { groupVersionOf, type ResourceType, type Verb, viewOf } from './kinds.js';
import { bodyEncodingOf, negotiateOutput, type OutputFormat, patchTypeOf } from './negotiation.js';
import type { JsonObject } from './objects.js';
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
  checkPatchOptions,
  decodeApplied,
  sendWritten,
  warningOnFailure,
  writeOptions,
} from './write-requests.js';
import {
  createObject,
  currentObject,
  type ObjectAddress,
  patchObject,
  updateObject,
  type WriteContext,
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
  /** Answers the create of a review kind (`access-reviews.ts`) for a user. */
  readonly review?: (type: ResourceType, body: JsonObject, user: UserInfo) => JsonObject;
  /** Resolves once every write so far is durable (persistence); answers wait for it. */
  readonly durable?: () => Promise<void>;
}

const SUBRESOURCE_VERBS: Readonly<Record<string, readonly string[]>> = {
  '': ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  status: ['get', 'update', 'patch'],
  finalize: ['update'],
  exec: ['get', 'create'],
  attach: ['get', 'create'],
  portforward: ['get', 'create'],
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

async function deleteCollection(call: Call): Promise<void> {
  const { context, req, res, address, params } = call;
  const { type } = address;
  const options = await readDeleteOptions(req, params, deleteBase(call));
  const query = parseListQuery(type, address.namespace, params);
  const deleted: JsonObject[] = [];
  for (const stored of context.store.list(
    type.storage,
    type.namespaced && address.namespace ? address.namespace : undefined,
  )) {
    const view = viewOf(type, stored);
    if (!isSelected(type, query, view)) continue;
    const meta = view.metadata as { name: string; namespace?: string };
    const outcome = await deleteObject(
      context,
      { type, namespace: meta.namespace ?? '', name: meta.name },
      options,
    );
    deleted.push(outcome.gone ? view : outcome.body);
  }
  await sendWritten(
    context.durable,
    res,
    200,
    {
      kind: type.listKind,
      apiVersion: groupVersionOf(type),
      metadata: { resourceVersion: String(context.store.revision) },
      items: deleted,
    },
    options,
  );
}

/** One resource request being served. */
interface Call {
  readonly context: ResourceContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly info: ResourceRequest;
  readonly address: ObjectAddress;
  readonly params: URLSearchParams;
  readonly user: UserInfo;
}

function deleteBase({ user }: Call): Omit<DeleteOptions, 'dryRun'> {
  return { user, warnings: [] };
}

async function serveGet({ context, req, res, address, params }: Call): Promise<void> {
  if (context.durable) await context.durable();
  const format = readFormat(context, req);
  const object = currentObject(context, address);
  const page = { items: [object], resourceVersion: Number((object.metadata as JsonObject).resourceVersion) };
  sendObject(res, 200, readBodyOf(context, address.type, format, page, true, params), format);
}

async function serveList({ context, req, res, address, params }: Call): Promise<void> {
  if (context.durable) await context.durable();
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

async function serveCreate(call: Call): Promise<void> {
  const { context, req, res, address, params } = call;
  const options = writeOptions(params, req, call.user);
  const body = await bodyObject(context, req, address.type);
  if (REVIEW_RESOURCES.has(`${address.type.group}/${address.type.plural}`) && context.review) {
    sendObject(res, 201, context.review(address.type, body, call.user));
    return;
  }
  const created = await warningOnFailure(res, options, () =>
    createObject(context, address.type, address.namespace, body, options),
  );
  await sendWritten(context.durable, res, 201, created, options);
}

async function serveUpdate(call: Call): Promise<void> {
  const { context, req, res, info, address, params } = call;
  const options = writeOptions(params, req, call.user);
  const body = await bodyObject(context, req, address.type);
  const updated = await warningOnFailure(res, options, () =>
    updateObject(context, address, info.subresource, body, options),
  );
  await sendWritten(context.durable, res, 200, updated, options);
}

async function servePatch(call: Call): Promise<void> {
  const { context, req, res, info, address, params } = call;
  const strategic = address.type.builtin && context.strategicMerge !== undefined;
  const patchType = patchTypeOf(req.headers['content-type'], strategic);
  const force = checkPatchOptions(patchType, params);
  const options = writeOptions(params, req, call.user);
  const body = await readBody(req);
  if (patchType === 'apply') {
    const applied = { ...options, fieldManager: options.fieldManager ?? '', force: force === true };
    const outcome = await warningOnFailure(res, options, () =>
      applyObject(context, address, info.subresource, decodeApplied(body), applied),
    );
    await sendWritten(context.durable, res, outcome.created ? 201 : 200, outcome.object, options);
    return;
  }
  const patched = await warningOnFailure(res, options, () =>
    patchObject(context, address, info.subresource, patchType, parseJson(body), options),
  );
  await sendWritten(context.durable, res, 200, patched, options);
}

async function serveDelete(call: Call): Promise<void> {
  const { context, req, res, address, params } = call;
  const options = await readDeleteOptions(req, params, deleteBase(call));
  const outcome = await deleteObject(context, address, options);
  await sendWritten(context.durable, res, outcome.code, outcome.body, options);
}

const HANDLERS: Readonly<Record<Verb, (call: Call) => void | Promise<void>>> = {
  get: serveGet,
  list: serveList,
  watch: serveWatchCall,
  create: serveCreate,
  update: serveUpdate,
  patch: servePatch,
  delete: serveDelete,
  deletecollection: deleteCollection,
};

/** Serves one resource request. */
export async function serveResource(
  context: ResourceContext,
  req: IncomingMessage,
  res: ServerResponse,
  info: ResourceRequest,
  url: URL,
  user: UserInfo,
): Promise<void> {
  const address = resolve(context.registry, info);
  if (CONNECT_KINDS[info.subresource]) {
    await connect(
      context,
      address,
      info.subresource,
      url.searchParams,
      writeOptions(url.searchParams, req, user),
    );
    return;
  }
  await HANDLERS[info.verb]({ context, req, res, info, address, params: url.searchParams, user });
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
