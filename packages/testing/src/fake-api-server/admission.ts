/**
 * The admission step of the write pipeline: an ordered chain of plugins, each of
 * which may change the object (mutating) and/or reject the request (validating), as
 * kube-apiserver runs its admission controllers. The built-in plugins are the two
 * every client meets: NamespaceLifecycle (no content in missing or terminating
 * namespaces; the system namespaces cannot be deleted) and the CRD-terminating check.
 * Admission webhooks (`webhooks.ts`) plug in here as two more plugins; plugins may be
 * asynchronous, so the chain is.
 */
import type { UserInfo } from './authorization.js';
import type { ResourceType } from './kinds.js';
import { type JsonObject, metaOf } from './objects.js';
import { forbidden, methodNotAllowed, notFound } from './statuses.js';

/** What is being done. */
export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** Everything a plugin may look at (admission `Attributes`). */
export interface AdmissionRequest {
  readonly operation: AdmissionOperation;
  readonly type: ResourceType;
  readonly namespace: string;
  readonly name: string;
  readonly subresource: string;
  /** The new object (CREATE, UPDATE), in the served version's shape. */
  readonly object?: JsonObject;
  /** The current object (UPDATE, DELETE). */
  readonly oldObject?: JsonObject;
  readonly dryRun: boolean;
  /** Who asks (the server's own controllers act as their service accounts). */
  readonly user?: UserInfo;
  /** The request's options as webhooks see them (`CreateOptions`, `PatchOptions`…). */
  readonly options?: JsonObject;
  /** Where warnings for the client go (`Warning` headers). */
  readonly warnings?: string[];
  /** The kind of `object` when it is not the resource's (CONNECT sends `PodExecOptions`…). */
  readonly kind?: { readonly group: string; readonly version: string; readonly kind: string };
}

/** One admission controller. Either hook may throw (or reject with) a `StatusError` to refuse. */
export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase: returns the (possibly changed) object. */
  readonly mutate?: (request: AdmissionRequest) => JsonObject | undefined | Promise<JsonObject | undefined>;
  /** Validating phase: throws to reject. */
  readonly validate?: (request: AdmissionRequest) => void | Promise<void>;
}

/** Runs the plugins: every mutation in order, then every validation. */
export class AdmissionChain {
  constructor(private readonly plugins: readonly AdmissionPlugin[]) {}

  /** The mutating phase; returns the object after all mutations. */
  async mutate(request: AdmissionRequest): Promise<JsonObject | undefined> {
    let object = request.object;
    for (const plugin of this.plugins) {
      if (!plugin.mutate) continue;
      const result = plugin.mutate({ ...request, ...(object ? { object } : {}) });
      object = (result instanceof Promise ? await result : result) ?? object;
    }
    return object;
  }

  /** The validating phase. */
  async validate(request: AdmissionRequest): Promise<void> {
    for (const plugin of this.plugins) {
      const result = plugin.validate?.(request);
      if (result instanceof Promise) await result;
    }
  }
}

const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** NamespaceLifecycle: as the real plugin, with the namespace read through `namespaceOf`. */
export function namespaceLifecycle(namespaceOf: (name: string) => JsonObject | undefined): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    mutate: (request) => {
      const { type, operation, namespace } = request;
      if (type.group === '' && type.plural === 'namespaces') {
        if (operation === 'DELETE' && IMMORTAL_NAMESPACES.has(request.name)) {
          throw forbidden('', 'namespaces', request.name, 'this namespace may not be deleted');
        }
        return undefined;
      }
      if (operation !== 'CREATE' || !type.namespaced || !namespace) return undefined;
      const found = namespaceOf(namespace);
      if (!found) throw notFound('', 'namespaces', namespace);
      if (metaOf(found).deletionTimestamp) {
        throw forbidden(
          type.group,
          type.plural,
          request.name,
          `unable to create new content in namespace ${namespace} because it is being terminated`,
          [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        );
      }
      return undefined;
    },
  };
}

/** No new custom resources while their CRD is being deleted (the crdHandler's 405). */
export const customResourceTerminating: AdmissionPlugin = {
  name: 'CustomResourceTerminating',
  validate: (request) => {
    if (request.operation === 'CREATE' && request.type.terminating) {
      throw methodNotAllowed('create not allowed while custom resource definition is terminating');
    }
  },
};
