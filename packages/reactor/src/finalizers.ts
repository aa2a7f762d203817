/**
 * Adding and removing the operator's finalizer, as body transformations: the
 * applying step turns them into a JSON Patch guarded by a `test` of the
 * resourceVersion (Kopf 1.44), so a concurrent change is never overwritten — the
 * transformation is simply retried on the next cycle.
 */
import type { Body, PatchFn } from '@kopf/core';

/** A body transformation that adds `finalizer` (no-op if present). */
export function blockDeletion(finalizer: string): PatchFn {
  return (body: Body) => {
    const finalizers = body.metadata?.finalizers ?? [];
    if (finalizers.includes(finalizer)) return body;
    return { ...body, metadata: { ...body.metadata, finalizers: [...finalizers, finalizer] } };
  };
}

/** A body transformation that removes `finalizer` (no-op if absent). */
export function allowDeletion(finalizer: string): PatchFn {
  return (body: Body) => {
    const finalizers = body.metadata?.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return body;
    const { finalizers: _, ...metadata } = body.metadata ?? {};
    const rest = finalizers.filter((f) => f !== finalizer);
    // An emptied list is removed as a whole, as Kopf does (`remove /metadata/finalizers`).
    return { ...body, metadata: rest.length > 0 ? { ...metadata, finalizers: rest } : metadata };
  };
}
