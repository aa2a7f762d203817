/**
 * What the server knows about one served resource (a group-version-resource): scope,
 * names, verbs, subresources, and the per-kind rules of the write path (status split,
 * generation, unconditional updates). Built-ins and CRD-defined resources share this
 * shape, so one generic store and one write pipeline serve them all.
 */
import type { FieldError } from './field-errors.js';
import type { JsonObject } from './objects.js';

/** Kubernetes API verbs on resources. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** The subresources the fake serves. */
export type Subresource = 'status' | 'finalize' | 'exec' | 'attach' | 'portforward';

/** A printer column, in the CRD `additionalPrinterColumns` shape. */
export interface ColumnDefinition {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  readonly jsonPath: string;
  readonly priority?: number;
  /** Computes the cell instead of `jsonPath` (built-in printers). */
  readonly cell?: (object: JsonObject, now: Date) => unknown;
}

/** How object names are validated (apimachinery's name validators). */
export type NameRule = 'subdomain' | 'label' | 'label-1035' | 'path-segment';

/** The per-kind rules of the write path (the "strategy" of a real registry). */
export interface KindRules {
  /** `status` is a subresource: the main resource ignores it, `/status` writes only it. */
  readonly statusSubresource: boolean;
  /** `metadata.generation` is maintained (1 on create, +1 on non-metadata changes). */
  readonly generation: boolean;
  /** PUT without `metadata.resourceVersion` is allowed (false for custom resources). */
  readonly unconditionalUpdate: boolean;
  /** DELETE answers with the deleted object rather than a `Success` Status. */
  readonly returnDeletedObject: boolean;
  readonly names: NameRule;
  /** Adjusts a new object before it is stored (defaults, reset status). */
  readonly prepareForCreate?: (object: JsonObject) => JsonObject;
  /** Adjusts an updated object given the old one, before the generic rules. */
  readonly prepareForUpdate?: (object: JsonObject, old: JsonObject) => JsonObject;
  /** Kind-specific validation; an empty list means valid. */
  readonly validate?: (object: JsonObject, old: JsonObject | undefined) => FieldError[];
  /** Extra changes when an object is marked for deletion (a namespace turns Terminating). */
  readonly markDeleting?: (object: JsonObject, now: Date) => JsonObject;
  /** Whether something besides `metadata.finalizers` holds the object (a namespace's `spec.finalizers`). */
  readonly pendingFinalizers?: (object: JsonObject) => boolean;
}

/** Reads one field selector label from an object (in the served version's shape). */
export type FieldLabelReader = (object: JsonObject) => string;

/** One served group-version-resource. */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly Verb[];
  readonly subresources: readonly Subresource[];
  /** Types with the same storage key are views of the same objects (events, CRD versions). */
  readonly storage: string;
  /** The `apiVersion` objects are stored at (the CRD's storage version). */
  readonly storageApiVersion: string;
  /** Built-ins accept strategic merge patches and protobuf bodies; CRD types do not. */
  readonly builtin: boolean;
  readonly rules: KindRules;
  /** Printer columns for Tables; `undefined` gives Name and Age. */
  readonly columns?: readonly ColumnDefinition[];
  /** Whether Tables start with a Name column (all but core Events). */
  readonly nameColumn?: boolean;
  /** Field selector labels beyond `metadata.name` and `metadata.namespace`. */
  readonly fieldLabels: Readonly<Record<string, FieldLabelReader>>;
  /** Converts a stored object into this version's shape (default: set `apiVersion`). */
  readonly fromStorage?: (object: JsonObject) => JsonObject;
  /** Converts an object of this version into the stored shape. */
  readonly toStorage?: (object: JsonObject) => JsonObject;
  /** The defining CRD is being deleted: no new objects. */
  readonly terminating?: boolean;
  /** The CRD version's `openAPIV3Schema`: pruning, defaults, validation, and the OpenAPI documents. */
  readonly schema?: Record<string, unknown>;
}

/** `v1` for the core group, `group/version` otherwise. */
export function groupVersionOf(type: { readonly group: string; readonly version: string }): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** All eight verbs, as most resources allow. */
export const ALL_VERBS: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** The object as a client of `type` sees it. */
export function viewOf(type: ResourceType, stored: JsonObject): JsonObject {
  if (type.fromStorage) return type.fromStorage(stored);
  const apiVersion = groupVersionOf(type);
  return stored.apiVersion === apiVersion ? stored : { ...stored, apiVersion };
}

/** The object as stored, from a client's object of `type`. */
export function storedOf(type: ResourceType, object: JsonObject): JsonObject {
  if (type.toStorage) return type.toStorage(object);
  const apiVersion = type.storageApiVersion;
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}

/** Reads a dotted path of plain fields (`spec.nodeName`) as a field selector value; absent is `""`. */
export function fieldAt(path: string): FieldLabelReader {
  const parts = path.split('.');
  return (object) => {
    let value: unknown = object;
    for (const part of parts) {
      if (typeof value !== 'object' || value === null) return '';
      value = (value as Record<string, unknown>)[part];
    }
    return value === undefined || value === null ? '' : String(value);
  };
}
