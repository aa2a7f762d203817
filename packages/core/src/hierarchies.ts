/**
 * Parent–child relations between objects, as in Kopf: owner references, names,
 * namespaces and labels that children inherit from the object being handled. The
 * functions change the given plain objects in place (children are usually about to
 * be created, so no patch is involved). The owner defaults to the object of the
 * running handler (from the handler context); an explicit `owner` always works.
 */
import type { Body, KubernetesObject, ObjectMeta, ObjectReference, OwnerReference } from './bodies.js';
import { currentHandlerContext } from './contexts.js';
import { type FieldSpec, parseField, resolveField } from './diffs.js';
import { HandlerContextError } from './errors.js';

/** One object or several (nested lists are flattened). */
export type ObjectTargets = KubernetesObject | Iterable<KubernetesObject | Iterable<KubernetesObject>>;

/** Options of owner-reference building. */
export interface OwnerReferenceOptions {
  /** Mark the owner as the managing controller; default true. */
  readonly controller?: boolean;
  /** Block the owner's deletion until this child is gone (foreground deletion); default true. */
  readonly blockOwnerDeletion?: boolean;
}

/** Flattens one object or nested lists of objects. */
export function* walkObjects(objs: unknown): Generator<KubernetesObject> {
  if (objs === null || objs === undefined) return;
  if (typeof objs === 'object' && Symbol.iterator in objs) {
    for (const obj of objs as Iterable<unknown>) yield* walkObjects(obj);
  } else {
    yield objs as KubernetesObject;
  }
}

function metadataOf(obj: KubernetesObject): ObjectMeta {
  obj.metadata ??= {};
  return obj.metadata;
}

function guessOwner(owner: Body | undefined, what: string): Body {
  const body = owner ?? currentHandlerContext()?.body;
  if (body === undefined) {
    throw new HandlerContextError(
      `${what}: the owner is unknown outside of a handler; pass it explicitly: { owner: body }.`,
    );
  }
  return body;
}

/**
 * A reference to an object, e.g. for an Event's `involvedObject`: `apiVersion`,
 * `kind`, `name`, `uid`, `namespace`, with empty fields left out.
 *
 * @example
 * buildObjectReference(body); // { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', name: 'x', uid: '…', namespace: 'default' }
 */
export function buildObjectReference(body: KubernetesObject): ObjectReference {
  const fields = {
    apiVersion: body.apiVersion,
    kind: body.kind,
    name: body.metadata?.name,
    uid: body.metadata?.uid,
    namespace: body.metadata?.namespace,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value)) as ObjectReference;
}

/**
 * An owner reference to `body` for its children.
 *
 * @throws TypeError when the owner lacks `apiVersion`, `kind`, `metadata.name` or
 * `metadata.uid` (e.g. a body that was never stored).
 * @example
 * child.metadata.ownerReferences = [buildOwnerReference(body, { controller: false })];
 */
export function buildOwnerReference(
  body: KubernetesObject,
  options: OwnerReferenceOptions = {},
): OwnerReference {
  const { apiVersion, kind } = body;
  const { name, uid } = body.metadata ?? {};
  const missing = Object.entries({ apiVersion, kind, 'metadata.name': name, 'metadata.uid': uid })
    .filter(([, value]) => !value)
    .map(([key]) => key);
  if (missing.length > 0) {
    throw new TypeError(
      `Building an owner reference failed: the owner lacks ${missing.join(', ')}; use the body as stored in the cluster.`,
    );
  }
  return {
    controller: options.controller ?? true,
    blockOwnerDeletion: options.blockOwnerDeletion ?? true,
    apiVersion: apiVersion as string,
    kind: kind as string,
    name: name as string,
    uid: uid as string,
  };
}

/**
 * Adds an owner reference to the object(s) unless one with the owner's uid is there.
 *
 * @example
 * appendOwnerReference(child);                  // owned by the object being handled
 * appendOwnerReference(child, { owner: other, controller: false });
 */
export function appendOwnerReference(
  objs: ObjectTargets,
  options: OwnerReferenceOptions & { readonly owner?: Body } = {},
): void {
  const reference = buildOwnerReference(guessOwner(options.owner, 'appendOwnerReference()'), options);
  for (const obj of walkObjects(objs)) {
    const meta = metadataOf(obj);
    meta.ownerReferences ??= [];
    if (!meta.ownerReferences.some((ref) => ref.uid === reference.uid)) meta.ownerReferences.push(reference);
  }
}

/**
 * Removes the owner's reference (by uid) from the object(s).
 *
 * @example
 * removeOwnerReference(child, { owner: oldParent });
 */
export function removeOwnerReference(objs: ObjectTargets, options: { readonly owner?: Body } = {}): void {
  const uid = buildOwnerReference(guessOwner(options.owner, 'removeOwnerReference()')).uid;
  for (const obj of walkObjects(objs)) {
    const meta = metadataOf(obj);
    if (meta.ownerReferences) meta.ownerReferences = meta.ownerReferences.filter((ref) => ref.uid !== uid);
  }
}

/** Options of {@link label}. */
export interface LabelOptions {
  /** Overwrite labels the object already has; default false. */
  readonly forced?: boolean;
  /**
   * Sub-objects that get the labels too: a path or a list of paths (each a dotted
   * string or an array), e.g. `'spec.template'` or `['spec.template', 'spec.jobTemplate']`.
   */
  readonly nested?: string | readonly FieldSpec[];
}

function nestedPaths(nested: LabelOptions['nested']): readonly FieldSpec[] {
  if (nested === undefined) return [];
  return typeof nested === 'string' ? [nested] : nested;
}

/**
 * Sets labels on the object(s) (and nested templates); existing labels are kept
 * unless `forced`. Without `labels`, the handled object's labels are used.
 *
 * @example
 * label(job, { 'parent-name': name }, { nested: ['spec.template'] });
 */
export function label(
  objs: ObjectTargets,
  labels?: Readonly<Record<string, string | null>>,
  options: LabelOptions = {},
): void {
  const wanted = labels ?? guessOwner(undefined, 'label()').metadata?.labels ?? {};
  for (const obj of walkObjects(objs)) {
    const targets: unknown[] = [
      obj,
      ...nestedPaths(options.nested).map((path) => resolveField(obj, parseField(path))),
    ];
    for (const target of targets) {
      if (target === null || typeof target !== 'object' || Array.isArray(target)) continue;
      const meta = metadataOf(target as KubernetesObject);
      meta.labels ??= {};
      const current = meta.labels as Record<string, string | null>;
      for (const [key, value] of Object.entries(wanted)) {
        if (options.forced || !Object.hasOwn(current, key)) current[key] = value;
      }
    }
  }
}

/** Options of {@link harmonizeNaming}. */
export interface NamingOptions {
  /** Rename objects that already have a name or generateName; default false. */
  readonly forced?: boolean;
  /** Use the name as is; by default it becomes a `generateName: '<name>-'` prefix. */
  readonly strict?: boolean;
}

/**
 * Names the object(s) after the owner: `generateName: '<name>-'` (or `name` when
 * `strict`), unless they are named already (or `forced`). Without `name`, the
 * handled object's name is used.
 *
 * @example
 * harmonizeNaming(child, 'parent', { strict: true }); // metadata.name = 'parent'
 */
export function harmonizeNaming(objs: ObjectTargets, name?: string, options: NamingOptions = {}): void {
  applyNaming(objs, name ?? guessOwner(undefined, 'harmonizeNaming()').metadata?.name, options);
}

function applyNaming(objs: ObjectTargets, name: string | undefined, options: NamingOptions): void {
  if (name === undefined) {
    throw new HandlerContextError('harmonizeNaming(): the owner has no name; pass the name explicitly.');
  }
  for (const obj of walkObjects(objs)) {
    const meta = metadataOf(obj);
    const unnamed = !Object.hasOwn(meta, 'name') && !Object.hasOwn(meta, 'generateName');
    if (!options.forced && !unnamed) continue;
    if (options.strict) {
      meta.name = name;
      delete meta.generateName;
    } else {
      meta.generateName = `${name}-`;
      delete meta.name;
    }
  }
}

/**
 * Puts the object(s) into the owner's namespace unless they have one (or `forced`).
 * Without `namespace`, the handled object's namespace is used.
 *
 * @example
 * adjustNamespace(child); // same namespace as the parent
 */
export function adjustNamespace(
  objs: ObjectTargets,
  namespace?: string,
  options: { readonly forced?: boolean } = {},
): void {
  applyNamespace(objs, namespace ?? guessOwner(undefined, 'adjustNamespace()').metadata?.namespace, options);
}

function applyNamespace(
  objs: ObjectTargets,
  namespace: string | undefined,
  options: { readonly forced?: boolean },
): void {
  for (const obj of walkObjects(objs)) {
    const meta = metadataOf(obj);
    if (!options.forced && meta.namespace !== undefined && meta.namespace !== null) continue;
    if (namespace === undefined) delete meta.namespace;
    else meta.namespace = namespace;
  }
}

/** Options of {@link adopt}. */
export interface AdoptOptions extends NamingOptions {
  /** The parent; the object being handled by default. */
  readonly owner?: Body;
  /** Sub-objects that get the labels too, e.g. `['spec.template']`. */
  readonly nested?: LabelOptions['nested'];
}

/**
 * Makes the object(s) children of the owner: owner reference, name, namespace and
 * labels (Kopf's `adopt`).
 *
 * @example
 * on.create('kopfexamples', async ({ name }) => {
 *   const job = renderJob();
 *   adopt(job);
 *   label(job, { 'parent-name': name ?? '' }, { nested: ['spec.template'] });
 *   await createJob(job);
 * });
 */
export function adopt(objs: ObjectTargets, options: AdoptOptions = {}): void {
  const owner = guessOwner(options.owner, 'adopt()');
  const { forced, strict, nested } = options;
  appendOwnerReference(objs, { owner });
  applyNaming(objs, owner.metadata?.name, { forced, strict });
  applyNamespace(objs, owner.metadata?.namespace, { forced });
  label(objs, owner.metadata?.labels ?? {}, { forced, nested });
}
