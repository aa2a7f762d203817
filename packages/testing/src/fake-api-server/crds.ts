/**
 * CustomResourceDefinitions: validation of the fields kube-apiserver checks (name =
 * plural.group, scope, names, exactly one storage version, schemas), the status the
 * apiextensions controllers would set (NamesAccepted, Established, acceptedNames,
 * storedVersions; synchronously, so a CRD serves as soon as it is created), and the
 * resource types a CRD defines. Deletion cleanup lives in `controllers.ts`.
 */
import {
  type FieldError,
  forbiddenValue,
  invalidValue,
  notSupportedValue,
  requiredValue,
} from './field-errors.js';
import {
  ALL_VERBS,
  type ColumnDefinition,
  type FieldLabelReader,
  fieldAt,
  type ResourceType,
} from './kinds.js';
import { isJsonObject, type JsonObject, metaOf, timestamp } from './objects.js';
import { checkName } from './validation.js';

/** The finalizer the real server puts on a CRD being deleted until its objects are gone. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

interface CrdNames {
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
}

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly subresources?: { readonly status?: unknown };
  readonly additionalPrinterColumns?: readonly ColumnDefinition[];
  readonly selectableFields?: readonly { readonly jsonPath: string }[];
  readonly schema?: { readonly openAPIV3Schema?: unknown };
}

function specOf(crd: JsonObject): JsonObject {
  return isJsonObject(crd.spec) ? crd.spec : {};
}

function rawNames(crd: JsonObject): JsonObject {
  const names = specOf(crd).names;
  return isJsonObject(names) ? names : {};
}

/** The names with their defaults (singular = lower-case kind, listKind = KindList). */
export function namesOf(crd: JsonObject): CrdNames {
  const names = rawNames(crd);
  const kind = String(names.kind ?? '');
  return {
    plural: String(names.plural ?? ''),
    singular: String(names.singular ?? kind.toLowerCase()),
    kind,
    listKind: String(names.listKind ?? `${kind}List`),
    ...(Array.isArray(names.shortNames) ? { shortNames: names.shortNames.map(String) } : {}),
    ...(Array.isArray(names.categories) ? { categories: names.categories.map(String) } : {}),
  };
}

function versionsOf(crd: JsonObject): CrdVersion[] {
  const versions = specOf(crd).versions;
  return Array.isArray(versions)
    ? versions.filter(isJsonObject).map((version) => version as unknown as CrdVersion)
    : [];
}

function validateNames(crd: JsonObject, errors: FieldError[]): void {
  const names = rawNames(crd);
  const path = 'spec.names';
  if (!names.plural) errors.push(requiredValue(`${path}.plural`));
  else errors.push(...checkName(String(names.plural), 'label', `${path}.plural`));
  if (!names.kind) errors.push(requiredValue(`${path}.kind`));
  if (names.singular) errors.push(...checkName(String(names.singular), 'label', `${path}.singular`));
  if (!names.listKind && names.listKind !== undefined) errors.push(requiredValue(`${path}.listKind`));
}

function validateVersions(crd: JsonObject, errors: FieldError[]): void {
  const versions = versionsOf(crd);
  if (versions.length === 0) {
    errors.push(requiredValue('spec.versions', 'must have exactly one version marked as storage version'));
    return;
  }
  const storage = versions.filter((version) => version.storage === true).length;
  if (storage !== 1) {
    errors.push(
      invalidValue(
        'spec.versions',
        versions.map((v) => v.name),
        'must have exactly one version marked as storage version',
      ),
    );
  }
  versions.forEach((version, index) => {
    const path = `spec.versions[${index}]`;
    if (!version.name) errors.push(requiredValue(`${path}.name`));
    else errors.push(...checkName(version.name, 'label', `${path}.name`));
    if (!isJsonObject(version.schema?.openAPIV3Schema)) {
      errors.push(requiredValue(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
    }
    (version.additionalPrinterColumns ?? []).forEach((column, at) => {
      errors.push(...validateColumn(column, `${path}.additionalPrinterColumns[${at}]`));
    });
  });
}

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];

/** Whether brackets, parentheses and quotes of a JSONPath are balanced (what the parser needs). */
function jsonPathProblem(path: string): string | undefined {
  if (!path.startsWith('.')) return 'must be a simple json path starting with .';
  const closing: string[] = [];
  let quote: string | undefined;
  for (const char of path) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '(') closing.push(char === '[' ? ']' : ')');
    else if ((char === ']' || char === ')') && closing.pop() !== char) return `unexpected ${char}`;
  }
  if (quote) return 'unterminated string';
  return closing.length ? `unclosed array expect ${closing.at(-1)}` : undefined;
}

function validateColumn(column: ColumnDefinition, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!column.name) errors.push(requiredValue(`${path}.name`));
  if (!COLUMN_TYPES.includes(column.type))
    errors.push(notSupportedValue(`${path}.type`, column.type, COLUMN_TYPES));
  if (!column.jsonPath) errors.push(requiredValue(`${path}.jsonPath`));
  else {
    const problem = jsonPathProblem(column.jsonPath);
    if (problem) errors.push(invalidValue(`${path}.jsonPath`, column.jsonPath, problem));
  }
  return errors;
}

/** What the real CRD validation rejects with 422 (a subset: the checks clients trip over). */
export function validateCrd(crd: JsonObject, old: JsonObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const spec = specOf(crd);
  const group = String(spec.group ?? '');
  const names = namesOf(crd);
  if (!group) errors.push(requiredValue('spec.group'));
  else if (!group.includes('.'))
    errors.push(invalidValue('spec.group', group, 'should be a domain with at least one dot'));
  const name = metaOf(crd).name ?? '';
  if (group && names.plural && name !== `${names.plural}.${group}`) {
    errors.push(invalidValue('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push(
      spec.scope
        ? notSupportedValue('spec.scope', spec.scope, ['Cluster', 'Namespaced'])
        : requiredValue('spec.scope'),
    );
  }
  validateNames(crd, errors);
  validateVersions(crd, errors);
  if (old && specOf(old).group !== spec.group)
    errors.push(invalidValue('spec.group', group, 'field is immutable'));
  if (old && specOf(old).scope !== spec.scope && spec.scope) {
    errors.push(forbiddenValue('spec.scope', 'field is immutable'));
  }
  return errors;
}

function condition(
  type: string,
  reason: string,
  message: string,
  now: string,
  old: JsonObject | undefined,
): JsonObject {
  const previous = (Array.isArray(old?.conditions) ? old.conditions : []).find(
    (entry: unknown) => isJsonObject(entry) && entry.type === type && entry.status === 'True',
  ) as JsonObject | undefined;
  return { type, status: 'True', lastTransitionTime: previous?.lastTransitionTime ?? now, reason, message };
}

/** The status the apiextensions controllers settle on for an accepted, established CRD. */
export function establishedStatus(crd: JsonObject, now: Date): JsonObject {
  const old = isJsonObject(crd.status) ? crd.status : undefined;
  const storage = versionsOf(crd).find((version) => version.storage)?.name;
  const stored = Array.isArray(old?.storedVersions) ? old.storedVersions.map(String) : [];
  const at = timestamp(now);
  const kept = (Array.isArray(old?.conditions) ? old.conditions : []).filter(
    (entry: unknown) => isJsonObject(entry) && entry.type !== 'NamesAccepted' && entry.type !== 'Established',
  );
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found', at, old),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted', at, old),
      ...kept,
    ],
    acceptedNames: namesOf(crd),
    storedVersions: storage && !stored.includes(storage) ? [...stored, storage] : stored,
  };
}

/** The CRD as it looks while its objects are being deleted. */
export function markCrdTerminating(crd: JsonObject, now: Date): JsonObject {
  const meta = metaOf(crd);
  const finalizers = meta.finalizers ?? [];
  const status = isJsonObject(crd.status) ? crd.status : {};
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(
    (entry: unknown) => isJsonObject(entry) && entry.type !== 'Terminating',
  );
  const terminating = {
    type: 'Terminating',
    status: 'True',
    lastTransitionTime: timestamp(now),
    reason: 'InstanceDeletionPending',
    message: 'CustomResourceDefinition marked for deletion; instance deletion pending',
  };
  return {
    ...crd,
    metadata: {
      ...meta,
      finalizers: finalizers.includes(CRD_CLEANUP_FINALIZER)
        ? finalizers
        : [...finalizers, CRD_CLEANUP_FINALIZER],
    },
    status: { ...status, conditions: [...conditions, terminating] },
  };
}

function isEstablished(crd: JsonObject): boolean {
  const status = isJsonObject(crd.status) ? crd.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.some(
    (entry: unknown) => isJsonObject(entry) && entry.type === 'Established' && entry.status === 'True',
  );
}

function selectableFields(version: CrdVersion): Record<string, FieldLabelReader> {
  const fields = version.selectableFields ?? [];
  return Object.fromEntries(
    fields.map((field) => {
      const path = field.jsonPath.replace(/^\./, '');
      return [path, fieldAt(path)];
    }),
  );
}

/** The served types of an established CRD (none before it is established). */
export function typesFromCrd(crd: JsonObject): ResourceType[] {
  if (!isEstablished(crd)) return [];
  const spec = specOf(crd);
  const group = String(spec.group);
  const names = namesOf(crd);
  const versions = versionsOf(crd);
  const storageVersion = versions.find((version) => version.storage)?.name ?? versions[0]?.name ?? '';
  const terminating = metaOf(crd).deletionTimestamp !== undefined;
  return versions
    .filter((version) => version.served)
    .map((version) => {
      const status = version.subresources?.status !== undefined;
      const columns = version.additionalPrinterColumns;
      return {
        group,
        version: version.name,
        kind: names.kind,
        listKind: names.listKind,
        plural: names.plural,
        singular: names.singular,
        namespaced: spec.scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: ALL_VERBS,
        subresources: status ? ['status'] : [],
        storage: `${group}/${names.plural}`,
        storageApiVersion: `${group}/${storageVersion}`,
        builtin: false,
        rules: {
          statusSubresource: status,
          generation: true,
          unconditionalUpdate: false,
          returnDeletedObject: false,
          names: 'subdomain',
        },
        ...(columns && columns.length > 0 ? { columns } : {}),
        fieldLabels: selectableFields(version),
        ...(terminating ? { terminating } : {}),
        ...(isJsonObject(version.schema?.openAPIV3Schema) ? { schema: version.schema.openAPIV3Schema } : {}),
      } satisfies ResourceType;
    });
}
