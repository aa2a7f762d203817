/**
 * Which resources the admission handlers' selectors resolve to, now and as CRDs come
 * and go: either from the operator (a function it keeps current; re-read every few
 * seconds) or, when it gives none, from the admission's own discovery, re-done on
 * every CRD change. Requests are served and configurations built from this view.
 */
import type { Resource, ResourceSelector } from '@kopf/core';
import { type ApiClient, observeResources, resolveResources } from '@kopf/k8s';
import type { Clock } from '../clock.js';

/** The resources now, and a way to hear of changes. */
export interface ResourceView {
  readonly resources: (selector: ResourceSelector) => readonly Resource[];
  /** Calls `listener` after each (possible) change until `signal` (the view's own) aborts; resolves then. */
  follow(listener: () => Promise<void>, signal: AbortSignal): Promise<void>;
}

/** Options of {@link resourceView}. */
export interface ResourceViewOptions {
  readonly client: ApiClient;
  readonly clock: Clock;
  /** The operator's view of discovery; when absent, discovery is done here. */
  readonly resources?: (selector: ResourceSelector) => readonly Resource[];
  /** Seconds between re-reads of a given `resources` function. */
  readonly resync: number;
  readonly signal: AbortSignal;
  /** Told about failed re-discoveries (the previous resources stay in effect). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A view of the resources; resolves once the first discovery is done.
 *
 * @throws ApiError when the first discovery fails.
 */
export async function resourceView(options: ResourceViewOptions): Promise<ResourceView> {
  const given = options.resources;
  if (given) {
    return {
      resources: given,
      follow: async (listener, signal) => {
        while (await options.clock.sleep(options.resync * 1000, signal)) await listener();
      },
    };
  }
  const discovery = observeResources(options.client, {
    signal: options.signal,
    onError: options.onError,
  })[Symbol.asyncIterator]();
  const first = await discovery.next();
  let current: readonly Resource[] = first.done ? [] : first.value;
  return {
    resources: (selector) => resolveResources(current, selector),
    // Discovery ends by itself when `options.signal` aborts.
    follow: async (listener, signal) => {
      for (;;) {
        const next = await discovery.next();
        if (next.done || signal.aborted) return;
        current = next.value;
        await listener();
      }
    },
  };
}
