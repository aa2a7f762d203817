/**
 * Shared helpers of @kopf/k8s's black-box suites: a fake API server with a client
 * connected through a kubeconfig file, the KopfExample CRD, resource references,
 * polling for conditions, and collecting watch events in the background.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kopf/core';
import type { ClientOptions, HttpClient, ResourceRef, StreamEvent, WatchOptions } from '@kopf/k8s';
import { createApiClient, createObject, watchObjects } from '@kopf/k8s';
import { FakeApiServer, eventually as waitFor } from '@kopf/testing';
import { onTestFinished } from 'vitest';

export const CRDS: ResourceRef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
  kind: 'CustomResourceDefinition',
};
export const KOPFEXAMPLES: ResourceRef = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  namespaced: true,
  kind: 'KopfExample',
  subresources: ['status'],
};
export const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
export const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };

/** A running fake server, a temporary folder, and a client from a kubeconfig file in it. */
export interface Cluster {
  readonly server: FakeApiServer;
  readonly client: HttpClient;
  readonly dir: string;
  readonly kubeconfig: string;
}

/** Starts a fake server and a client for it; both are cleaned up when the test finishes. */
export async function startCluster(options: Omit<ClientOptions, 'kubeconfig'> = {}): Promise<Cluster> {
  const server = await FakeApiServer.start();
  const dir = await mkdtemp(join(tmpdir(), 'kopf-k8s-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
  const client = await createApiClient({ kubeconfig, ...options });
  onTestFinished(async () => {
    client.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return { server, client, dir, kubeconfig };
}

/** The KopfExample CRD of the Kopf talk; `status: false` leaves out the status subresource. */
export function kopfExampleCrd(options: { status?: boolean } = {}): KubernetesObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'kopfexamples.kopf.dev' },
    spec: {
      group: 'kopf.dev',
      scope: 'Namespaced',
      names: {
        kind: 'KopfExample',
        plural: 'kopfexamples',
        singular: 'kopfexample',
        shortNames: ['kopfex', 'kex'],
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(options.status === false ? {} : { subresources: { status: {} } }),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        },
      ],
    },
  };
}

/** Creates the KopfExample CRD through the client. */
export async function createKopfExampleCrd(
  client: HttpClient,
  options: { status?: boolean } = {},
): Promise<void> {
  await createObject(client, CRDS, kopfExampleCrd(options));
}

/** A KopfExample in `default`. */
export function kopfExample(name: string, spec: Record<string, unknown> = {}): KubernetesObject {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name, namespace: 'default' },
    spec: { field: 'value', ...spec },
  };
}

/** Polls until `check` returns a truthy value; fails after `timeoutMs`. */
export function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  return waitFor(check, { timeout: timeoutMs / 1000 });
}

/** A watch running in the background, its events collected as they come. */
export interface Watcher {
  readonly events: StreamEvent[];
  /** When each event was received (`performance.now()`). */
  readonly times: number[];
  /** Resolves when the watch has ended (after `stop()`). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
  /** Waits until an event matches. */
  waitFor(match: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
}

/** Starts `watchObjects` in the background; stopped when the test finishes. */
export function startWatching(
  client: HttpClient,
  resource: ResourceRef,
  options: Omit<WatchOptions, 'signal'> = {},
): Watcher {
  const controller = new AbortController();
  const events: StreamEvent[] = [];
  const times: number[] = [];
  const done = (async () => {
    for await (const event of watchObjects(client, resource, { ...options, signal: controller.signal })) {
      times.push(performance.now());
      events.push(event);
    }
  })();
  const stop = async (): Promise<void> => {
    controller.abort();
    await done;
  };
  onTestFinished(stop);
  return {
    events,
    times,
    done,
    stop,
    waitFor: (match, timeoutMs) => eventually(() => events.find(match), timeoutMs),
  };
}

/** `TYPE name@resourceVersion` for comparing event sequences. */
export function describeEvent(event: StreamEvent): string {
  if (event.type === 'SYNCED') return `SYNCED@${event.resourceVersion}`;
  return `${event.type} ${event.object.metadata?.name}@${event.object.metadata?.resourceVersion}`;
}

/** The error a promise rejects with; fails the test if it resolves. */
export function rejection(
  promise: Promise<unknown>,
): Promise<Error & { code?: number; temporary?: boolean }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (error: unknown) => error as Error,
  );
}
