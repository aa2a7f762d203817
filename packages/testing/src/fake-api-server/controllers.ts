/**
 * The controllers a real cluster runs beside the API server that clients rely on:
 * the CRD controllers (serve the types of established CRDs at once; on deletion,
 * delete the custom resources, wait for their finalizers, then drop the CRD) and the
 * namespace controller (delete a Terminating namespace's content honouring
 * finalizers, report what remains in conditions, then finalize the namespace), and the
 * serviceaccount controller (a `default` ServiceAccount in every namespace).
 * They react to store changes on the next tick, through the ordinary write pipeline
 * (admission included), each as the service account kube-controller-manager uses.
 */
import type { UserInfo } from './authorization.js';
import { CRD_CLEANUP_FINALIZER, typesFromCrd } from './crds.js';
import { deleteObject } from './deleting.js';
import type { ResourceType } from './kinds.js';
import { type JsonObject, metaOf, timestamp } from './objects.js';
import { Reconciler } from './reconciling.js';
import type { ResourceRegistry } from './registry.js';
import { createObject, updateObject, type WriteContext, type WriteOptions } from './writing.js';

/** The identity a controller writes with, as a real cluster's kube-controller-manager. */
export function controllerOptions(account: string, manager = 'kube-controller-manager'): WriteOptions {
  const user: UserInfo = {
    username: `system:serviceaccount:kube-system:${account}`,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  };
  return { dryRun: false, user, fieldManager: manager };
}

const SERVICE_ACCOUNTS = controllerOptions('service-account-controller');
const NAMESPACES = controllerOptions('namespace-controller');
const APISERVER: WriteOptions = {
  dryRun: false,
  user: { username: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] },
  fieldManager: 'kube-apiserver',
};

const CRD_STORAGE = 'apiextensions.k8s.io/customresourcedefinitions';
const NAMESPACE_STORAGE = '/namespaces';

/** Runs the emulated controllers over a store and registry. */
export class Controllers {
  private readonly reconciler = new Reconciler(() => this.reconcile());
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly context: WriteContext,
    private readonly registry: ResourceRegistry,
  ) {}

  /** Starts reacting to changes; CRD types are synced at once. */
  start(): void {
    const { store } = this.context;
    this.syncCrdTypes();
    this.unsubscribers.push(store.subscribe(CRD_STORAGE, () => this.syncCrdTypes()));
    this.unsubscribers.push(store.subscribe('*', () => this.reconciler.schedule()));
  }

  /** Stops reacting; resolves when a round in progress has finished. */
  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    await this.reconciler.stop();
  }

  private async reconcile(): Promise<void> {
    const { store } = this.context;
    for (const crd of store.list(CRD_STORAGE)) {
      if (metaOf(crd).deletionTimestamp) await this.cleanUpCrd(crd);
    }
    for (const namespace of store.list(NAMESPACE_STORAGE)) {
      if (metaOf(namespace).deletionTimestamp) await this.cleanUpNamespace(namespace);
      else await this.ensureDefaultServiceAccount(metaOf(namespace).name ?? '');
    }
  }

  /** The serviceaccount controller's job: a `default` ServiceAccount in every live namespace. */
  private async ensureDefaultServiceAccount(namespace: string): Promise<void> {
    const type = this.typeOf('/serviceaccounts');
    if (!type || this.context.store.get(type.storage, `${namespace}/default`)) return;
    try {
      await createObject(this.context, type, namespace, { metadata: { name: 'default' } }, SERVICE_ACCOUNTS);
    } catch {
      // The namespace went away meanwhile, or a webhook refused: the next change retries.
    }
  }

  private syncCrdTypes(): void {
    const types = this.context.store.list(CRD_STORAGE).flatMap(typesFromCrd);
    this.registry.setCustomTypes(types);
  }

  private typeOf(storage: string): ResourceType | undefined {
    return this.registry.storageTypes().find((type) => type.storage === storage);
  }

  /** Deletes every live object of a storage (optionally in one namespace); returns what remains. */
  private async deleteAll(
    type: ResourceType,
    namespace: string | undefined,
    options: WriteOptions,
  ): Promise<JsonObject[]> {
    const remaining = this.context.store.list(type.storage, namespace);
    for (const object of remaining) {
      const meta = metaOf(object);
      if (meta.deletionTimestamp) continue;
      try {
        await deleteObject(
          this.context,
          { type, namespace: meta.namespace ?? '', name: meta.name ?? '' },
          { ...options, propagationPolicy: 'Background' },
        );
      } catch {
        // Gone meanwhile or refused: the next change retries.
      }
    }
    return this.context.store.list(type.storage, namespace);
  }

  private async cleanUpCrd(crd: JsonObject): Promise<void> {
    const meta = metaOf(crd);
    if (!(meta.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return;
    const spec = crd.spec as { group?: string; names?: { plural?: string } };
    const type = this.typeOf(`${spec.group}/${spec.names?.plural}`);
    if (type && (await this.deleteAll(type, undefined, APISERVER)).length > 0) return;
    const crdType = this.typeOf(CRD_STORAGE) as ResourceType;
    const finalizers = (meta.finalizers ?? []).filter((finalizer) => finalizer !== CRD_CLEANUP_FINALIZER);
    const body = { ...crd, metadata: { ...meta, finalizers } };
    await this.tryUpdate(crdType, meta.name ?? '', '', body, APISERVER);
  }

  private async cleanUpNamespace(namespace: JsonObject): Promise<void> {
    const name = metaOf(namespace).name ?? '';
    const remaining = new Map<ResourceType, JsonObject[]>();
    for (const type of this.registry.storageTypes()) {
      if (!type.namespaced) continue;
      const left = await this.deleteAll(type, name, NAMESPACES);
      if (left.length > 0) remaining.set(type, left);
    }
    const namespaceType = this.typeOf(NAMESPACE_STORAGE) as ResourceType;
    const current = this.context.store.get(NAMESPACE_STORAGE, name);
    if (!current) return;
    if (remaining.size === 0) {
      const spec = (current.spec ?? {}) as JsonObject;
      await this.tryUpdate(
        namespaceType,
        name,
        'finalize',
        { ...current, spec: { ...spec, finalizers: [] } },
        NAMESPACES,
      );
      return;
    }
    const status = {
      ...(current.status as JsonObject),
      conditions: namespaceConditions(remaining, current),
    };
    await this.tryUpdate(namespaceType, name, 'status', { ...current, status }, NAMESPACES);
  }

  private async tryUpdate(
    type: ResourceType,
    name: string,
    subresource: string,
    body: JsonObject,
    options: WriteOptions,
  ): Promise<void> {
    try {
      await updateObject(this.context, { type, namespace: '', name }, subresource, body, options);
    } catch {
      // Changed meanwhile: the change that did it schedules another round.
    }
  }
}

function resourceName(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

function namespaceConditions(
  remaining: Map<ResourceType, JsonObject[]>,
  namespace: JsonObject,
): JsonObject[] {
  const counts = [...remaining].map(
    ([type, objects]) => `${resourceName(type)} has ${objects.length} resource instances`,
  );
  const byFinalizer = new Map<string, number>();
  for (const objects of remaining.values()) {
    for (const object of objects) {
      for (const finalizer of metaOf(object).finalizers ?? [])
        byFinalizer.set(finalizer, (byFinalizer.get(finalizer) ?? 0) + 1);
    }
  }
  const finalizers = [...byFinalizer].map(
    ([finalizer, count]) => `${finalizer} in ${count} resource instances`,
  );
  const old = ((namespace.status as JsonObject | undefined)?.conditions ?? []) as JsonObject[];
  const at = (type: string): string =>
    String(old.find((entry) => entry.type === type)?.lastTransitionTime ?? timestamp());
  const entry = (type: string, status: string, reason: string, message: string): JsonObject => ({
    type,
    status,
    lastTransitionTime: at(type),
    reason,
    message,
  });
  return [
    entry(
      'NamespaceDeletionDiscoveryFailure',
      'False',
      'ResourcesDiscovered',
      'All resources successfully discovered',
    ),
    entry(
      'NamespaceDeletionGroupVersionParsingFailure',
      'False',
      'ParsedGroupVersions',
      'All legacy kube types successfully parsed',
    ),
    entry(
      'NamespaceDeletionContentFailure',
      'False',
      'ContentDeleted',
      'All content successfully deleted, may be waiting on finalization',
    ),
    entry(
      'NamespaceContentRemaining',
      'True',
      'SomeResourcesRemain',
      `Some resources are remaining: ${counts.join(', ')}`,
    ),
    finalizers.length
      ? entry(
          'NamespaceFinalizersRemaining',
          'True',
          'SomeFinalizersRemain',
          `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`,
        )
      : entry(
          'NamespaceFinalizersRemaining',
          'False',
          'ContentHasNoFinalizers',
          'All content-preserving finalizers finished',
        ),
  ];
}
