/**
 * The shapes of Kubernetes objects as handlers see them. Bodies are plain JSON
 * (what the API server sent), typed loosely by default and precisely when the
 * operator supplies its own `Spec`/`Status` types through generics.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** `metadata.ownerReferences[]`. */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** A reference to an object, as in an Event's `involvedObject`. */
export interface ObjectReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly namespace?: string;
}

/** `metadata` of an object. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

/** Any Kubernetes object: `apiVersion`, `kind`, `metadata`, and whatever else. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/**
 * An object body with a typed `spec` and `status`.
 *
 * @example
 * type Example = Body<{ field: string; items: string[] }>;
 */
export interface Body<Spec = Record<string, unknown>, Status = Record<string, unknown>>
  extends KubernetesObject {
  spec?: Spec;
  status?: Status;
}

/** The type of a watch event; `null` for objects from the initial listing, as in Kopf. */
export type RawEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | null;

/** A raw watch event as `on.event` handlers receive it. */
export interface RawEvent<T extends KubernetesObject = KubernetesObject> {
  readonly type: RawEventType;
  readonly object: T;
}
