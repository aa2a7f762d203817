/**
 * GET and LIST: label and field selectors, `limit` + `continue` over a consistent
 * snapshot (the first page's resource version; 410 once it is compacted away), and
 * the resourceVersion semantics of a real list (unset = most recent, "0" = any,
 * N = not older than N, N with `limit` or `resourceVersionMatch=Exact` = exactly N).
 */
import { decodeContinue, encodeContinue } from './continue-tokens.js';
import {
  checkFieldLabels,
  type FieldSelector,
  matchesFields,
  parseFieldSelector,
} from './field-selectors.js';
import { groupVersionOf, type ResourceType, viewOf } from './kinds.js';
import { type LabelSelector, matchesLabels, parseLabelSelector } from './label-selectors.js';
import { type JsonObject, metaOf, objectKey } from './objects.js';
import { badRequest, expired, failure, timeout, tooOldResourceVersion } from './statuses.js';
import type { ObjectStore } from './store.js';

/** The selection part of a list or watch query. */
export interface Selection {
  readonly namespace: string;
  readonly labels: LabelSelector;
  readonly fields: FieldSelector;
}

/** A parsed list query. */
export interface ListQuery extends Selection {
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: string;
}

/** One page of a list, as views of `type`. */
export interface ListPage {
  readonly items: JsonObject[];
  readonly resourceVersion: number;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/** Reads the selectors from a query (400 on bad syntax or unsupported field labels). */
export function parseSelection(type: ResourceType, namespace: string, params: URLSearchParams): Selection {
  const fields = parseFieldSelector(params.get('fieldSelector') ?? '');
  checkFieldLabels(type, fields);
  return { namespace, labels: parseLabelSelector(params.get('labelSelector') ?? ''), fields };
}

function optional(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' ? undefined : value;
}

/** Reads a list query. */
export function parseListQuery(type: ResourceType, namespace: string, params: URLSearchParams): ListQuery {
  const limitText = optional(params, 'limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw badRequest(`limit: Invalid value: ${JSON.stringify(limitText)}: must be a non-negative integer`);
  }
  const resourceVersion = optional(params, 'resourceVersion');
  const resourceVersionMatch = optional(params, 'resourceVersionMatch');
  if (resourceVersionMatch && !resourceVersion) {
    throw failure(
      422,
      'Invalid',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      {},
    );
  }
  const token = optional(params, 'continue');
  return {
    ...parseSelection(type, namespace, params),
    ...(limit ? { limit } : {}),
    ...(token ? { continue: token } : {}),
    ...(resourceVersion ? { resourceVersion } : {}),
    ...(resourceVersionMatch ? { resourceVersionMatch } : {}),
  };
}

/** Whether a view of `type` is selected (namespace, labels, fields). */
export function isSelected(type: ResourceType, selection: Selection, view: JsonObject): boolean {
  const meta = metaOf(view);
  if (selection.namespace && type.namespaced && meta.namespace !== selection.namespace) return false;
  return matchesLabels(selection.labels, meta.labels) && matchesFields(type, selection.fields, view);
}

function parseRevision(text: string): number {
  const revision = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(revision)) {
    throw badRequest(`resourceVersion: Invalid value: ${JSON.stringify(text)}: must be an integer`);
  }
  return revision;
}

interface Snapshot {
  readonly objects: JsonObject[];
  readonly revision: number;
  readonly start: string;
}

function snapshotOf(store: ObjectStore, type: ResourceType, query: ListQuery): Snapshot {
  const namespace = type.namespaced && query.namespace ? query.namespace : undefined;
  if (query.continue) {
    if (query.resourceVersion)
      throw badRequest('specifying resource version is not allowed when using continue');
    const token = decodeContinue(query.continue);
    const objects = store.listAt(type.storage, namespace, token.resourceVersion);
    if (!objects) {
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    return { objects, revision: token.resourceVersion, start: token.start };
  }
  const requested = query.resourceVersion === undefined ? undefined : parseRevision(query.resourceVersion);
  if (requested !== undefined && requested > store.revision) {
    throw timeout(`Too large resource version: ${requested}, current: ${store.revision}`, 1);
  }
  const exact =
    requested !== undefined &&
    requested > 0 &&
    (query.resourceVersionMatch === 'Exact' ||
      (query.limit !== undefined && query.resourceVersionMatch !== 'NotOlderThan'));
  if (exact) {
    const objects = store.listAt(type.storage, namespace, requested);
    if (!objects) throw tooOldResourceVersion(requested, store.compactedRevision);
    return { objects, revision: requested, start: '' };
  }
  return { objects: store.list(type.storage, namespace), revision: store.revision, start: '' };
}

function keyOfView(type: ResourceType, view: JsonObject): string {
  const meta = metaOf(view);
  return objectKey(type.namespaced ? meta.namespace : undefined, meta.name ?? '');
}

/** One page of a LIST. */
export function listObjects(store: ObjectStore, type: ResourceType, query: ListQuery): ListPage {
  const snapshot = snapshotOf(store, type, query);
  const selected: JsonObject[] = [];
  for (const stored of snapshot.objects) {
    const view = viewOf(type, stored);
    if (snapshot.start && keyOfView(type, view) < snapshot.start) continue;
    if (isSelected(type, query, view)) selected.push(view);
  }
  if (query.limit === undefined || selected.length <= query.limit) {
    return { items: selected, resourceVersion: snapshot.revision };
  }
  const items = selected.slice(0, query.limit);
  const last = items[items.length - 1] as JsonObject;
  const unselective = query.labels.length === 0 && query.fields.length === 0;
  return {
    items,
    resourceVersion: snapshot.revision,
    continue: encodeContinue({ resourceVersion: snapshot.revision, start: `${keyOfView(type, last)}\u0000` }),
    ...(unselective ? { remainingItemCount: selected.length - items.length } : {}),
  };
}

/** The `<Kind>List` body of a page. */
export function listBody(type: ResourceType, page: ListPage): JsonObject {
  const metadata: JsonObject = { resourceVersion: String(page.resourceVersion) };
  if (page.continue) metadata.continue = page.continue;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  return { kind: type.listKind, apiVersion: groupVersionOf(type), metadata, items: page.items };
}

/** The `PartialObjectMetadata(List)` shape of objects (metadata-only clients). */
export function partialMetadata(object: JsonObject, version: string): JsonObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: metaOf(object) };
}
