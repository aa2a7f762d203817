/**
 * The garbage collector of kube-controller-manager, small: it follows
 * `metadata.ownerReferences` and
 *
 * - deletes a dependent whose owners are all gone (Background propagation, and
 *   objects created with references to owners that never existed), or drops the
 *   dangling references of a dependent that still has a live owner;
 * - for an owner deleted with `Foreground` (finalizer `foregroundDeletion`), deletes its
 *   dependents and removes the finalizer once no dependent with
 *   `blockOwnerDeletion: true` is left;
 * - for an owner deleted with `Orphan` (finalizer `orphan`), removes the references to
 *   it from its dependents, then the finalizer.
 *
 * It keeps an index of live objects by uid and of dependents by owner uid, fed by store
 * changes, and works through the ordinary write pipeline as the
 * generic-garbage-collector service account.
 */
import { controllerOptions } from './controllers.js';
import { deleteObject, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy } from './deleting.js';
import type { StoreChange } from './history.js';
import type { ResourceType } from './kinds.js';
import { isJsonObject, type JsonObject, metaOf } from './objects.js';
import { Reconciler } from './reconciling.js';
import type { ResourceRegistry } from './registry.js';
import { updateObject, type WriteContext } from './writing.js';

const OPTIONS = controllerOptions('generic-garbage-collector');

/** Where an object is stored. */
interface Location {
  readonly storage: string;
  readonly key: string;
}

interface OwnerReference {
  readonly uid: string;
  readonly blockOwnerDeletion: boolean;
}

function ownerReferences(object: JsonObject | undefined): OwnerReference[] {
  const refs = object ? metaOf(object).ownerReferences : undefined;
  if (!Array.isArray(refs)) return [];
  return refs
    .filter(isJsonObject)
    .map((ref) => ({ uid: String(ref.uid ?? ''), blockOwnerDeletion: ref.blockOwnerDeletion === true }));
}

function id(location: Location): string {
  return `${location.storage}\u0000${location.key}`;
}

function locationOf(text: string): Location {
  const [storage = '', key = ''] = text.split('\u0000');
  return { storage, key };
}

function isDeleting(object: JsonObject, finalizer: string): boolean {
  const meta = metaOf(object);
  return meta.deletionTimestamp !== undefined && (meta.finalizers ?? []).includes(finalizer);
}

/** The emulated garbage collector. */
export class GarbageCollector {
  private readonly byUid = new Map<string, Location>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly dirtyDependents = new Set<string>();
  private readonly dirtyOwners = new Set<string>();
  private readonly reconciler = new Reconciler(() => this.collect());
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly context: WriteContext,
    private readonly registry: ResourceRegistry,
  ) {}

  /** Indexes what is stored and starts following changes. */
  start(): void {
    for (const type of this.registry.storageTypes()) {
      for (const object of this.context.store.list(type.storage)) {
        const meta = metaOf(object);
        const key = type.namespaced ? `${meta.namespace}/${meta.name}` : String(meta.name);
        this.index({ storage: type.storage, key }, object, undefined);
      }
    }
    this.unsubscribe = this.context.store.subscribe('*', (change) => this.changed(change));
    this.reconciler.schedule();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.reconciler.stop();
  }

  private changed(change: StoreChange): void {
    const location = { storage: change.storage, key: change.key };
    this.index(location, change.type === 'DELETED' ? undefined : change.object, change.previous);
    if (change.type === 'DELETED') {
      const uid = metaOf(change.object).uid;
      for (const dependent of (uid && this.dependents.get(uid)) || []) this.dirtyDependents.add(dependent);
    }
    this.reconciler.schedule();
  }

  /** Keeps the uid and owner indexes current, and marks what needs a look. */
  private index(location: Location, object: JsonObject | undefined, previous: JsonObject | undefined): void {
    const key = id(location);
    const uid = metaOf(object ?? previous ?? {}).uid;
    if (uid) {
      if (object) this.byUid.set(uid, location);
      else this.byUid.delete(uid);
    }
    for (const ref of ownerReferences(previous)) this.dependents.get(ref.uid)?.delete(key);
    for (const ref of ownerReferences(object)) {
      let set = this.dependents.get(ref.uid);
      if (!set) {
        set = new Set();
        this.dependents.set(ref.uid, set);
      }
      set.add(key);
      if (this.waitsForDependents(ref.uid)) this.dirtyOwners.add(ref.uid);
    }
    if (object && ownerReferences(object).length > 0) this.dirtyDependents.add(key);
    for (const ref of ownerReferences(previous))
      if (this.waitsForDependents(ref.uid)) this.dirtyOwners.add(ref.uid);
    if (!object) return;
    if (uid && (isDeleting(object, FOREGROUND_FINALIZER) || isDeleting(object, ORPHAN_FINALIZER)))
      this.dirtyOwners.add(uid);
  }

  private live(uid: string): { location: Location; object: JsonObject } | undefined {
    const location = this.byUid.get(uid);
    const object = location ? this.context.store.get(location.storage, location.key) : undefined;
    return location && object ? { location, object } : undefined;
  }

  private waitsForDependents(uid: string): boolean {
    const owner = this.live(uid);
    return owner !== undefined && isDeleting(owner.object, FOREGROUND_FINALIZER);
  }

  private typeOf(storage: string): ResourceType | undefined {
    return this.registry.storageTypes().find((type) => type.storage === storage);
  }

  private async collect(): Promise<void> {
    const owners = [...this.dirtyOwners];
    this.dirtyOwners.clear();
    for (const uid of owners) await this.processOwner(uid);
    const dependents = [...this.dirtyDependents];
    this.dirtyDependents.clear();
    for (const dependent of dependents) await this.processDependent(locationOf(dependent));
  }

  /** An owner being deleted in the foreground or orphaning its dependents. */
  private async processOwner(uid: string): Promise<void> {
    const owner = this.live(uid);
    if (!owner) return;
    const dependents = [...(this.dependents.get(uid) ?? [])].map(locationOf);
    if (isDeleting(owner.object, ORPHAN_FINALIZER)) {
      for (const dependent of dependents) await this.dropReferences(dependent, new Set([uid]));
      if ((this.dependents.get(uid)?.size ?? 0) === 0) await this.removeFinalizer(owner, ORPHAN_FINALIZER);
      return;
    }
    if (!isDeleting(owner.object, FOREGROUND_FINALIZER)) return;
    for (const dependent of dependents) {
      const object = this.context.store.get(dependent.storage, dependent.key);
      if (object && !metaOf(object).deletionTimestamp)
        await this.delete(dependent, object, this.policyFor(object));
    }
    const blocking = [...(this.dependents.get(uid) ?? [])].some((dependent) => {
      const object = this.context.store.get(locationOf(dependent).storage, locationOf(dependent).key);
      return ownerReferences(object).some((ref) => ref.uid === uid && ref.blockOwnerDeletion);
    });
    if (!blocking) await this.removeFinalizer(owner, FOREGROUND_FINALIZER);
  }

  /** A dependent whose owners may be gone. */
  private async processDependent(location: Location): Promise<void> {
    const object = this.context.store.get(location.storage, location.key);
    if (!object || metaOf(object).deletionTimestamp) return;
    const refs = ownerReferences(object);
    if (refs.length === 0) return;
    const namespace = metaOf(object).namespace;
    const present = (uid: string): boolean => {
      const owner = this.live(uid);
      if (!owner) return false;
      const ownerNamespace = metaOf(owner.object).namespace;
      return ownerNamespace === undefined || ownerNamespace === namespace;
    };
    const dangling = refs.filter((ref) => !present(ref.uid)).map((ref) => ref.uid);
    const waiting = refs
      .filter((ref) => present(ref.uid) && this.waitsForDependents(ref.uid))
      .map((ref) => ref.uid);
    const solid = refs.length - dangling.length - waiting.length;
    if (solid > 0) {
      if (dangling.length + waiting.length > 0)
        await this.dropReferences(location, new Set([...dangling, ...waiting]));
      return;
    }
    await this.delete(location, object, this.policyFor(object));
  }

  /** The policy a dependent is deleted with: its own pending one, or Foreground when it owns others. */
  private policyFor(object: JsonObject): PropagationPolicy {
    const finalizers = metaOf(object).finalizers ?? [];
    if (finalizers.includes(ORPHAN_FINALIZER)) return 'Orphan';
    const uid = metaOf(object).uid;
    if (finalizers.includes(FOREGROUND_FINALIZER) || (uid && (this.dependents.get(uid)?.size ?? 0) > 0))
      return 'Foreground';
    return 'Background';
  }

  private address(location: Location): { type: ResourceType; namespace: string; name: string } | undefined {
    const type = this.typeOf(location.storage);
    if (!type) return undefined;
    const slash = location.key.indexOf('/');
    const namespace = type.namespaced ? location.key.slice(0, slash) : '';
    const name = type.namespaced ? location.key.slice(slash + 1) : location.key;
    return { type, namespace, name };
  }

  private async delete(location: Location, object: JsonObject, policy: PropagationPolicy): Promise<void> {
    const address = this.address(location);
    if (!address) return;
    try {
      await deleteObject(this.context, address, {
        ...OPTIONS,
        propagationPolicy: policy,
        preconditions: { uid: String(metaOf(object).uid ?? '') },
      });
    } catch {
      // Gone or replaced meanwhile, or refused by admission: a later change brings it back here.
    }
  }

  private async dropReferences(location: Location, uids: ReadonlySet<string>): Promise<void> {
    const address = this.address(location);
    const object = this.context.store.get(location.storage, location.key);
    if (!address || !object) return;
    const refs = metaOf(object).ownerReferences;
    const kept = (Array.isArray(refs) ? refs : []).filter(
      (ref: unknown) => !(isJsonObject(ref) && uids.has(String(ref.uid))),
    );
    const { ownerReferences: _old, ...meta } = metaOf(object);
    await this.update(address, {
      ...object,
      metadata: kept.length > 0 ? { ...meta, ownerReferences: kept } : meta,
    });
  }

  private async removeFinalizer(
    owner: { location: Location; object: JsonObject },
    finalizer: string,
  ): Promise<void> {
    const address = this.address(owner.location);
    if (!address) return;
    const meta = metaOf(owner.object);
    const finalizers = (meta.finalizers ?? []).filter((item) => item !== finalizer);
    await this.update(address, { ...owner.object, metadata: { ...meta, finalizers } });
  }

  private async update(
    address: { type: ResourceType; namespace: string; name: string },
    body: JsonObject,
  ): Promise<void> {
    try {
      await updateObject(this.context, address, '', body, OPTIONS);
    } catch {
      // Changed meanwhile: that change brings the object back here.
    }
  }
}
