/**
 * A test's view of a (fake) cluster: apply YAML or objects as `kubectl apply`
 * would, read objects, and wait until an object satisfies a condition — with a
 * failure message that shows what the object looked like last. Works against any
 * API server reachable through an `ApiClient`; no test-framework imports.
 */
import { readFile } from 'node:fs/promises';
import { type KubernetesObject, parseSelector, type Resource } from '@kopf/core';
import {
  type ApiClient,
  createObject,
  deleteObject,
  discoverResources,
  getObject,
  listObjects,
  patchObject,
  resolveResources,
} from '@kopf/k8s';
import { parseAllDocuments } from 'yaml';

/** Where an object lives: `kopfexamples`, `kex`, `KopfExample`, `configmaps`, … plus name and namespace. */
export interface ObjectAddress {
  readonly resource: string;
  readonly name: string;
  /** Default `default` for namespaced resources. */
  readonly namespace?: string;
}

/** Options of {@link Cluster.waitFor} and the other waits: how long, and what for. */
export interface WaitOptions {
  /** Seconds; default 10. */
  readonly timeout?: number;
  /** What is awaited, for the failure message. */
  readonly description?: string;
}

/** A condition did not hold in time. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/** Apply, read and await objects in a cluster. */
export class Cluster {
  readonly client: ApiClient;
  #resources: Resource[] | undefined;

  constructor(client: ApiClient) {
    this.client = client;
  }

  /**
   * Creates or merge-patches each object, like `kubectl apply`: YAML text (several
   * documents), a file path ending in `.yaml`/`.yml`/`.json`, or objects.
   * Waits for CRDs to be served before the next document.
   */
  async apply(source: string | KubernetesObject | readonly KubernetesObject[]): Promise<KubernetesObject[]> {
    const objects = await toObjects(source);
    const applied: KubernetesObject[] = [];
    for (const object of objects) {
      applied.push(await this.#applyOne(object));
      if (object.kind === 'CustomResourceDefinition') await this.#awaitServed(object);
    }
    return applied;
  }

  /** The object, or `undefined` when it does not exist. */
  async get<T extends KubernetesObject = KubernetesObject>(address: ObjectAddress): Promise<T | undefined> {
    const resource = await this.resource(address.resource);
    return getObject<T>(this.client, resource, {
      name: address.name,
      namespace: namespaceOf(resource, address),
    });
  }

  /** Merge-patches an object (`status` goes to `/status` where it is a subresource). */
  async patch(address: ObjectAddress, patch: Record<string, unknown>): Promise<KubernetesObject | undefined> {
    const resource = await this.resource(address.resource);
    const ref = { name: address.name, namespace: namespaceOf(resource, address) };
    return patchObject(this.client, resource, ref, patch, { type: 'merge' });
  }

  /** Deletes an object; resolves at once, not waiting for finalizers. */
  async delete(address: ObjectAddress): Promise<void> {
    const resource = await this.resource(address.resource);
    await deleteObject(this.client, resource, {
      name: address.name,
      namespace: namespaceOf(resource, address),
    });
  }

  /** The Events about an object (core/v1), oldest first. */
  async events(address: ObjectAddress): Promise<KubernetesObject[]> {
    const resource = await this.resource(address.resource);
    const events = await this.resource('v1/events');
    const namespace = namespaceOf(resource, address) ?? 'default';
    const list = await listObjects(this.client, events, {
      namespace,
      fieldSelector: `involvedObject.name=${address.name}`,
    });
    return list.items;
  }

  /**
   * Resolves with the object once `predicate` holds for it (`undefined` is passed
   * while it does not exist), polling; rejects with the last state seen otherwise.
   *
   * @example
   * await cluster.waitFor({ resource: 'kex', name: 'kopf-example-1' }, (o) => o?.status?.create_fn !== undefined);
   */
  async waitFor<T extends KubernetesObject = KubernetesObject>(
    address: ObjectAddress,
    predicate: (object: T | undefined) => boolean,
    options: WaitOptions = {},
  ): Promise<T | undefined> {
    const deadline = Date.now() + (options.timeout ?? 10) * 1000;
    let last: T | undefined;
    for (;;) {
      last = await this.get<T>(address);
      if (predicate(last)) return last;
      if (Date.now() > deadline) {
        const what = options.description ?? predicate.toString();
        const seen = last === undefined ? 'it does not exist' : `last seen: ${JSON.stringify(last)}`;
        throw new WaitTimeoutError(
          `Timed out after ${options.timeout ?? 10} s waiting for ${describe(address)} to satisfy ${what}; ${seen}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Resolves a resource the way handlers name it (`'kopfexamples'`, `'kex'`, `'v1/configmaps'`…). */
  async resource(name: string): Promise<Resource> {
    const selector = name.includes('/') ? parseSelector(name.split('/')) : parseSelector([name]);
    let found = resolveResources(await this.#known(), selector);
    if (found.length === 0) {
      this.#resources = await discoverResources(this.client);
      found = resolveResources(this.#resources, selector);
    }
    const [resource] = found;
    if (!resource) throw new Error(`No resource named '${name}' is served by ${this.client.server}.`);
    return resource;
  }

  async #known(): Promise<Resource[]> {
    this.#resources ??= await discoverResources(this.client);
    return this.#resources;
  }

  async #applyOne(object: KubernetesObject): Promise<KubernetesObject> {
    const resource = await this.#resourceOf(object);
    const name = object.metadata?.name ?? '';
    const namespace = resource.namespaced ? (object.metadata?.namespace ?? 'default') : undefined;
    const existing = await getObject(this.client, resource, { name, namespace });
    if (!existing)
      return createObject(this.client, resource, { ...object, metadata: { ...object.metadata, namespace } });
    const patched = await patchObject(this.client, resource, { name, namespace }, object, { type: 'merge' });
    return patched ?? existing;
  }

  async #resourceOf(object: KubernetesObject): Promise<Resource> {
    const [group, version] = object.apiVersion?.includes('/')
      ? object.apiVersion.split('/')
      : ['', object.apiVersion];
    const match = (list: readonly Resource[]) =>
      list.find((r) => r.group === group && r.version === version && r.kind === object.kind);
    const known = match(await this.#known());
    if (known) return known;
    this.#resources = await discoverResources(this.client);
    const found = match(this.#resources);
    if (!found) throw new Error(`The server does not serve ${object.kind} in ${object.apiVersion}.`);
    return found;
  }

  async #awaitServed(crd: KubernetesObject): Promise<void> {
    const spec = crd.spec as { group: string; names: { plural: string } };
    const deadline = Date.now() + 10_000;
    for (;;) {
      this.#resources = await discoverResources(this.client);
      if (this.#resources.some((r) => r.group === spec.group && r.plural === spec.names.plural)) return;
      if (Date.now() > deadline)
        throw new WaitTimeoutError(`CRD ${crd.metadata?.name} is not served after 10 s.`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

function namespaceOf(resource: Resource, address: ObjectAddress): string | undefined {
  return resource.namespaced ? (address.namespace ?? 'default') : undefined;
}

function describe(address: ObjectAddress): string {
  return `${address.resource} ${address.namespace ? `${address.namespace}/` : ''}${address.name}`;
}

async function toObjects(
  source: string | KubernetesObject | readonly KubernetesObject[],
): Promise<KubernetesObject[]> {
  if (Array.isArray(source)) return [...source];
  if (typeof source !== 'string') return [source as KubernetesObject];
  const text =
    /\.(ya?ml|json)$/.test(source) && !source.includes('\n') ? await readFile(source, 'utf8') : source;
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null && typeof object === 'object');
}
