/**
 * `metadata.managedFields` as kube-apiserver's field manager keeps them: one entry per
 * manager, operation (`Apply` or `Update`), API version (for updaters) and subresource,
 * each with the FieldsV1 set it owns and the time it last changed something.
 *
 * An update takes over what it changes (from every other manager) and loses what it
 * removes; an apply merges the applied configuration into the live object, removes
 * what the applier stopped applying (unless someone else owns it), and fails with a
 * 409 naming each field another manager owns with a different value, unless forced.
 * System metadata (name, uid, resourceVersion…) is never owned, nor the fields a
 * write cannot change (`status` on the main resource of a kind with `/status`).
 */

import type { FieldSchema } from './field-schemas.js';
import { type FieldPath, FieldSet, pathText } from './field-sets.js';
import { conflictsForgiven, KUBECTL, withLastApplied } from './last-applied.js';
import { isJsonObject, type JsonObject, metaOf, timestamp } from './objects.js';
import { failure, type StatusCause, type StatusError } from './statuses.js';
import { compareValues, fieldSetOf, mergeValues, removePaths } from './structured-values.js';

/** The operation of a managedFields entry. */
export type ManagedOperation = 'Apply' | 'Update';

/** One manager's ownership. */
export interface ManagerEntry {
  readonly manager: string;
  readonly operation: ManagedOperation;
  readonly apiVersion: string;
  readonly subresource: string;
  readonly time?: string;
  readonly fields: FieldSet;
}

/** What a write is, for the field manager. */
export interface ManagedWrite {
  readonly manager: string;
  readonly apiVersion: string;
  readonly subresource: string;
  readonly schema: FieldSchema;
  /** Top-level fields this write cannot change (and nobody owns through it). */
  readonly ignored: readonly string[];
  readonly now: Date;
}

const STRIPPED_META = [
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
];

/** The object as the field manager sees it: no apiVersion, kind or system metadata. */
function stripped(object: JsonObject | undefined): JsonObject | undefined {
  if (!object) return undefined;
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object;
  const meta: JsonObject = { ...(isJsonObject(metadata) ? metadata : {}) };
  for (const field of STRIPPED_META) delete meta[field];
  return Object.keys(meta).length > 0 ? { ...rest, metadata: meta } : rest;
}

/** A manager's identity: updaters are told apart by API version, appliers are not. */
function identityOf(
  entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  const version = entry.operation === 'Update' ? entry.apiVersion : '';
  return JSON.stringify([entry.manager, entry.operation, version, entry.subresource]);
}

/** How conflict messages name a manager (`"kubectl"`, `"op" using v1`, `"x" with subresource "status"`). */
function managerText(entry: ManagerEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') text += ` using ${entry.apiVersion}`;
  return text;
}

/** Reads `metadata.managedFields`; malformed entries own nothing. */
export function decodeManagedFields(value: unknown): ManagerEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((entry) => ({
    manager: typeof entry.manager === 'string' ? entry.manager : '',
    operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: typeof entry.apiVersion === 'string' ? entry.apiVersion : '',
    subresource: typeof entry.subresource === 'string' ? entry.subresource : '',
    ...(typeof entry.time === 'string' ? { time: entry.time } : {}),
    fields: entry.fieldsType === 'FieldsV1' ? FieldSet.fromFieldsV1(entry.fieldsV1) : FieldSet.empty(),
  }));
}

/** Writes entries in kube's order: Apply before Update, then by time, manager, version, subresource. */
export function encodeManagedFields(entries: readonly ManagerEntry[]): JsonObject[] {
  const seconds = (entry: ManagerEntry): number => (entry.time ? Date.parse(entry.time) / 1000 : 0);
  const order = (a: ManagerEntry, b: ManagerEntry): number =>
    a.operation.localeCompare(b.operation) ||
    seconds(a) - seconds(b) ||
    (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0) ||
    (a.apiVersion < b.apiVersion ? -1 : a.apiVersion > b.apiVersion ? 1 : 0) ||
    (a.subresource < b.subresource ? -1 : a.subresource > b.subresource ? 1 : 0);
  return [...entries].sort(order).map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    ...(entry.time ? { time: entry.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: entry.fields.toFieldsV1(),
    ...(entry.subresource ? { subresource: entry.subresource } : {}),
  }));
}

/** The oldest `Update` entries beyond ten merge into one `ancient-changes` entry per API version, as kube caps them. */
export function capUpdateManagers(entries: readonly ManagerEntry[], limit = 10): ManagerEntry[] {
  const updaters = entries.filter((entry) => entry.operation === 'Update');
  if (updaters.length <= limit) return [...entries];
  const seconds = (entry: ManagerEntry): number => (entry.time ? Date.parse(entry.time) / 1000 : 0);
  updaters.sort((a, b) => seconds(a) - seconds(b) || (identityOf(a) < identityOf(b) ? -1 : 1));
  const out = new Map(entries.map((entry) => [identityOf(entry), entry]));
  const firstByVersion = new Map<string, ManagerEntry>();
  let count = updaters.length;
  for (const entry of updaters) {
    if (count <= limit) break;
    const first = firstByVersion.get(entry.apiVersion);
    if (!first) {
      firstByVersion.set(entry.apiVersion, entry);
      continue;
    }
    const bucket: Omit<ManagerEntry, 'fields' | 'time'> = {
      manager: 'ancient-changes',
      operation: 'Update',
      apiVersion: entry.apiVersion,
      subresource: '',
    };
    const existing = out.get(identityOf(bucket)) ?? first;
    out.delete(identityOf(first));
    out.delete(identityOf(entry));
    out.set(identityOf(bucket), {
      ...bucket,
      ...(entry.time ? { time: entry.time } : {}),
      fields: existing.fields.union(entry.fields),
    });
    count -= 1;
  }
  return [...out.values()];
}

function withManagedFields(object: JsonObject, entries: readonly ManagerEntry[]): JsonObject {
  const meta = { ...metaOf(object) };
  const nonEmpty = entries.filter((entry) => !entry.fields.isEmpty());
  const encoded = encodeManagedFields(capUpdateManagers(nonEmpty));
  if (encoded.length > 0) meta.managedFields = encoded;
  else delete meta.managedFields;
  return { ...object, metadata: meta };
}

/** Paths nobody owns even when a write creates them (the stripped top-level fields). */
const UNOWNED = FieldSet.of([['f:apiVersion'], ['f:kind'], ['f:metadata']]);

function ignoredPaths(write: ManagedWrite): FieldPath[] {
  return write.ignored.map((field) => [`f:${field}`]);
}

interface Outcome {
  readonly entries: ManagerEntry[];
  readonly conflicts: { entry: ManagerEntry; paths: FieldPath[] }[];
}

/** Takes what changed from the other managers, and drops what was removed (structured-merge-diff's `update`). */
function takeOver(
  entries: readonly ManagerEntry[],
  before: JsonObject | undefined,
  after: JsonObject,
  write: ManagedWrite,
  self: string,
): Outcome & { changed: FieldSet; removed: FieldSet } {
  const comparison = compareValues(stripped(before), stripped(after), write.schema);
  const ignored = ignoredPaths(write);
  const changed = comparison.modified.union(comparison.added).withoutPrefixes(ignored).difference(UNOWNED);
  const removed = comparison.removed.withoutPrefixes(ignored).difference(UNOWNED);
  const conflicts: Outcome['conflicts'] = [];
  const out: ManagerEntry[] = [];
  for (const entry of entries) {
    if (identityOf(entry) === self) {
      out.push(entry);
      continue;
    }
    const taken = entry.fields.intersection(changed);
    if (!taken.isEmpty()) conflicts.push({ entry, paths: taken.paths() });
    const fields = entry.fields.difference(taken).difference(removed);
    if (!fields.isEmpty()) out.push({ ...entry, fields });
  }
  return { entries: out, conflicts, changed, removed };
}

/** The managed fields of `after` once a non-apply write (create, update, patch) changed `before`. */
export function recordUpdate(
  before: JsonObject | undefined,
  after: JsonObject,
  write: ManagedWrite,
): JsonObject {
  const incoming = metaOf(after).managedFields;
  const own = Array.isArray(incoming) && incoming.length > 0 && !write.subresource;
  const entries = decodeManagedFields(own ? incoming : before ? metaOf(before).managedFields : undefined);
  const self = identityOf({ ...write, operation: 'Update' });
  const outcome = takeOver(entries, before, after, write, self);
  const previous = outcome.entries.find((entry) => identityOf(entry) === self);
  const fields = (previous?.fields ?? FieldSet.empty()).difference(outcome.removed).union(outcome.changed);
  const others = outcome.entries.filter((entry) => identityOf(entry) !== self);
  const time = outcome.changed.isEmpty() ? previous?.time : timestamp(write.now);
  const mine: ManagerEntry = {
    manager: write.manager,
    operation: 'Update',
    apiVersion: write.apiVersion,
    subresource: write.subresource,
    ...(time ? { time } : {}),
    fields,
  };
  return withManagedFields(after, [...others, mine]);
}

/** The 409 of an apply that would change fields other managers own. */
export function applyConflictError(conflicts: Outcome['conflicts']): StatusError {
  const flat = conflicts
    .map(({ entry, paths }) => ({ manager: managerText(entry), paths: paths.map(pathText) }))
    .sort((a, b) => (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0));
  const causes: StatusCause[] = flat.flatMap(({ manager, paths }) =>
    paths.map((field) => ({ type: 'FieldManagerConflict', message: `conflict with ${manager}`, field })),
  );
  const count = causes.length;
  const first = flat[0];
  const message =
    count === 1 && first
      ? `Apply failed with 1 conflict: conflict with ${first.manager}: ${first.paths[0]}`
      : `Apply failed with ${count} conflicts: ${flat
          .map(({ manager, paths }) =>
            [`conflicts with ${manager}:`, ...paths.map((p) => `- ${p}`)].join('\n'),
          )
          .join('\n')}`;
  return failure(409, 'Conflict', message, { causes });
}

/** Server-side apply of `config` onto `live` (absent for create-on-apply); throws the 409 on conflicts. */
export function applyConfiguration(
  live: JsonObject | undefined,
  config: JsonObject,
  write: ManagedWrite,
  force: boolean,
): JsonObject {
  const entries = decodeManagedFields(live ? metaOf(live).managedFields : undefined);
  const self = identityOf({ ...write, operation: 'Apply' });
  const previous = entries.find((entry) => identityOf(entry) === self);
  const applied = fieldSetOf(stripped(config), write.schema).withoutPrefixes(ignoredPaths(write));
  const base: JsonObject = live ?? { apiVersion: config.apiVersion, kind: config.kind, metadata: {} };
  const { managedFields: _ignored, ...configMeta } = metaOf(config);
  let merged = mergeValues(base, { ...config, metadata: configMeta }, write.schema) as JsonObject;
  const appliedEntry: ManagerEntry = {
    manager: write.manager,
    operation: 'Apply',
    apiVersion: write.apiVersion,
    subresource: write.subresource,
    fields: applied,
  };
  const withMine = [...entries.filter((entry) => identityOf(entry) !== self), appliedEntry];
  if (previous && !previous.fields.isEmpty()) merged = prune(merged, previous.fields, withMine, write);
  const outcome = takeOver(withMine, live, merged, write, self);
  if (!force) checkConflicts(outcome.conflicts, live, write);
  const changed = !outcome.changed.isEmpty() || !outcome.removed.isEmpty() || !live;
  const time = changed ? timestamp(write.now) : previous?.time;
  const mine: ManagerEntry = { ...appliedEntry, ...(time ? { time } : {}) };
  const others = outcome.entries.filter((entry) => identityOf(entry) !== self);
  const result = withManagedFields(merged, [...others, mine]);
  return write.manager === KUBECTL ? withLastApplied(result, live, config) : result;
}

/** Throws the 409 for conflicts, except those client-side apply's annotation forgives `kubectl`. */
function checkConflicts(
  conflicts: Outcome['conflicts'],
  live: JsonObject | undefined,
  write: ManagedWrite,
): void {
  if (conflicts.length === 0) return;
  const forgiven = write.manager === KUBECTL ? conflictsForgiven(live, write.schema, stripped) : undefined;
  const remaining = conflicts
    .map(({ entry, paths }) => ({ entry, paths: paths.filter((path) => !forgiven?.has(path)) }))
    .filter(({ paths }) => paths.length > 0);
  if (remaining.length > 0) throw applyConflictError(remaining);
}

/** Removes what the applier applied last time but not now, unless some manager still owns it. */
function prune(
  merged: JsonObject,
  lastApplied: FieldSet,
  entries: readonly ManagerEntry[],
  write: ManagedWrite,
): JsonObject {
  const owned = entries.reduce((all, entry) => all.union(entry.fields), FieldSet.empty());
  const gone = lastApplied
    .withParentFieldsAsMembers()
    .difference(owned.withParentFieldsAsMembers())
    .difference(UNOWNED)
    .withoutPrefixes(ignoredPaths(write));
  return removePaths(merged, gone, write.schema) as JsonObject;
}
