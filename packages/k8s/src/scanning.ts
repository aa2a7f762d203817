/**
 * Discovery: which resources the cluster serves (`/api`, `/apis`, then every
 * group-version; a group-version that answers 404 or 503 is skipped, as aggregated
 * APIs come and go), and re-discovery whenever CRDs appear, change or go away, so
 * an operator started before its CRD serves it once the CRD is created. Matching
 * selectors against the result is in `selecting.ts`.
 */
import type { Resource } from '@kopf/core';
import type { ApiClient } from './client.js';
import { ApiError, ApiNotFoundError } from './errors.js';
import { resolveResources } from './selecting.js';
import { watchObjects } from './watching.js';

interface ApiVersions {
  versions?: string[];
}

interface ApiGroupList {
  groups?: {
    name: string;
    versions?: { groupVersion?: string; version: string }[];
    preferredVersion?: { version: string };
  }[];
}

interface ApiResourceList {
  resources?: {
    name: string;
    singularName?: string;
    namespaced?: boolean;
    kind: string;
    verbs?: string[];
    shortNames?: string[];
    categories?: string[];
  }[];
}

interface GroupVersion {
  readonly group: string;
  readonly version: string;
  readonly preferred: boolean;
}

/** How many group-versions are fetched at once. */
const CONCURRENCY = 8;

/** Options of discovery calls. */
export interface DiscoveryOptions {
  readonly signal?: AbortSignal | undefined;
}

/** Every resource the cluster serves now, in all served versions. */
export async function discoverResources(
  client: ApiClient,
  options: DiscoveryOptions = {},
): Promise<Resource[]> {
  const { signal } = options;
  const [core, groups] = await Promise.all([
    client.request<ApiVersions>({ method: 'GET', path: '/api', signal }),
    client.request<ApiGroupList>({ method: 'GET', path: '/apis', signal }),
  ]);
  const groupVersions: GroupVersion[] = [
    ...(core?.versions ?? []).map((version, index) => ({ group: '', version, preferred: index === 0 })),
    ...(groups?.groups ?? []).flatMap((group) =>
      (group.versions ?? []).map((version) => ({
        group: group.name,
        version: version.version,
        preferred: version.version === (group.preferredVersion?.version ?? group.versions?.[0]?.version),
      })),
    ),
  ];
  const lists = await mapConcurrently(groupVersions, CONCURRENCY, (gv) =>
    discoverGroupVersion(client, gv, signal),
  );
  return lists.flat();
}

async function discoverGroupVersion(
  client: ApiClient,
  gv: GroupVersion,
  signal: AbortSignal | undefined,
): Promise<Resource[]> {
  const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
  let list: ApiResourceList;
  try {
    list = await client.request<ApiResourceList>({ method: 'GET', path, signal });
  } catch (error) {
    // A CRD deleted meanwhile (404), an aggregated API that is down (503): not served now.
    if (error instanceof ApiNotFoundError || (error instanceof ApiError && error.code === 503)) return [];
    throw error;
  }
  return resourcesOf(list, gv);
}

/** Converts one `APIResourceList`, folding `x/status` and the like into `x.subresources`. */
export function resourcesOf(list: ApiResourceList, gv: GroupVersion): Resource[] {
  const entries = list?.resources ?? [];
  const subresources = new Map<string, string[]>();
  for (const entry of entries) {
    const [main, sub] = entry.name.split('/', 2);
    if (main && sub) subresources.set(main, [...(subresources.get(main) ?? []), sub]);
  }
  return entries
    .filter((entry) => !entry.name.includes('/'))
    .map((entry) => ({
      group: gv.group,
      version: gv.version,
      plural: entry.name,
      kind: entry.kind,
      singular: entry.singularName || entry.kind.toLowerCase(),
      shortNames: entry.shortNames ?? [],
      categories: entry.categories ?? [],
      namespaced: entry.namespaced ?? false,
      subresources: subresources.get(entry.name) ?? [],
      verbs: entry.verbs ?? [],
      preferred: gv.preferred,
    }));
}

async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Options of {@link observeResources}. */
export interface ObserveOptions {
  readonly signal: AbortSignal;
  /**
   * Told about failed re-discoveries and failures to watch CRDs (the previous list
   * stays in effect; both are retried); default: ignored.
   */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/**
 * The full resource list now, and again whenever it changes because CRDs were
 * created, changed or deleted (watched through `customresourcedefinitions`). Ends
 * when `signal` aborts. The first discovery's errors are thrown; later ones go to
 * `onError` and are retried at the next CRD event.
 */
export async function* observeResources(
  client: ApiClient,
  options: ObserveOptions,
): AsyncGenerator<Resource[]> {
  const { signal } = options;
  let current = await discoverResources(client, { signal });
  yield current;
  const [crds] = resolveResources(current, {
    group: 'apiextensions.k8s.io',
    plural: 'customresourcedefinitions',
  });
  const inner = new AbortController();
  const stop = (): void => inner.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  const changes = new Trigger();
  try {
    if (crds) void followChanges(client, crds, inner.signal, changes, options.onError);
    while (!signal.aborted) {
      if (!(await changes.wait(inner.signal))) break;
      let next: Resource[];
      try {
        next = await discoverResources(client, { signal });
      } catch (error) {
        if (signal.aborted) break;
        options.onError?.(error);
        continue;
      }
      if (sameResources(current, next)) continue;
      current = next;
      yield current;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    inner.abort();
  }
}

async function followChanges(
  client: ApiClient,
  crds: Resource,
  signal: AbortSignal,
  changes: Trigger,
  onError: ((error: unknown) => void) | undefined,
): Promise<void> {
  const onRestart = (reason: string, details: { error?: unknown }): void => {
    if (reason === 'error') onError?.(details.error);
  };
  try {
    for await (const event of watchObjects(client, crds, { signal, onRestart })) {
      if (event.type !== 'LISTED') changes.fire();
    }
  } catch {
    // watchObjects only ends by the signal; nothing to report.
  }
}

/** Compares two resource lists by everything a watcher or a handler cares about. */
export function sameResources(a: readonly Resource[], b: readonly Resource[]): boolean {
  const key = (list: readonly Resource[]): string =>
    list
      .map((r) =>
        JSON.stringify([
          r.group,
          r.version,
          r.plural,
          r.kind,
          r.namespaced,
          r.preferred,
          r.subresources,
          r.verbs,
          r.shortNames,
          r.categories,
        ]),
      )
      .sort()
      .join('\n');
  return key(a) === key(b);
}

/** A level-triggered flag: fired any number of times, consumed by one `wait()`. */
class Trigger {
  #fired = false;
  #waiter: (() => void) | undefined;

  fire(): void {
    this.#fired = true;
    this.#waiter?.();
  }

  /** Resolves `true` once fired (and clears it), or `false` when `signal` aborts. */
  wait(signal: AbortSignal): Promise<boolean> {
    if (this.#fired) {
      this.#fired = false;
      return Promise.resolve(true);
    }
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        this.#waiter = undefined;
        signal.removeEventListener('abort', onAbort);
        this.#fired = false;
        resolve(value);
      };
      const onAbort = (): void => done(false);
      this.#waiter = () => done(true);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
