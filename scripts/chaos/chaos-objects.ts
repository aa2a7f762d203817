/**
 * The objects of the chaos run and how to read, from an object as the API server
 * holds it, what the operator has persisted: the last handled `spec.value` (in the
 * diff-base annotation), a handler's success in its progress annotation, and the
 * finalizer. The operator's handlers and the final verification read them the same way.
 */
import { defaultSettings, type KubernetesObject } from '@kopf/core';
import { DIFF_BASE_ANNOTATION } from '../bench/kopf-examples.js';
import type { ChaosHandlerId } from './side-store.js';

/** The namespace of every chaos object. */
export const NAMESPACE = 'chaos';

/** Kopf's finalizer, as the operator's default settings name it. */
export const FINALIZER: string = defaultSettings().persistence.finalizer;

/** Kopf's diff-base annotation (the last handled essence), as the benchmarks know it too. */
export { DIFF_BASE_ANNOTATION };

/** The progress annotation of a handler. */
export function progressAnnotation(handler: ChaosHandlerId): string {
  return `kopf.zalando.org/${handler}`;
}

/** The name of the `index`-th object. */
export function objectName(index: number): string {
  return `chaos-${String(index).padStart(6, '0')}`;
}

/** The `index`-th object with its spec at `value` (values only grow, so states never repeat). */
export function objectBody(index: number, value: number): KubernetesObject {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name: objectName(index), namespace: NAMESPACE, labels: { app: 'chaos' } },
    spec: { value },
  };
}

function annotationOf(body: KubernetesObject, key: string): string | undefined {
  const annotations = body.metadata?.annotations as Record<string, string> | undefined;
  return annotations?.[key];
}

/** The `spec.value` of the last handled essence; `undefined` when nothing was handled yet (or unreadable). */
export function handledValue(body: KubernetesObject): number | undefined {
  const text = annotationOf(body, DIFF_BASE_ANNOTATION);
  if (text === undefined) return undefined;
  try {
    const value = (JSON.parse(text) as { spec?: { value?: unknown } }).spec?.value;
    return typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Is there a diff-base at all (the object's creation was fully handled)? */
export function hasDiffBase(body: KubernetesObject): boolean {
  return annotationOf(body, DIFF_BASE_ANNOTATION) !== undefined;
}

/** Does the handler's progress annotation record a success? */
export function progressSucceeded(body: KubernetesObject, handler: ChaosHandlerId): boolean {
  const text = annotationOf(body, progressAnnotation(handler));
  if (text === undefined) return false;
  try {
    return (JSON.parse(text) as { success?: unknown }).success === true;
  } catch {
    return false;
  }
}

/** Does the object carry Kopf's finalizer? */
export function hasFinalizer(body: KubernetesObject): boolean {
  return (body.metadata?.finalizers ?? []).includes(FINALIZER);
}

/** The object's `spec.value`, if it is a number. */
export function specValue(body: KubernetesObject): number | undefined {
  const value = (body.spec as { value?: unknown } | undefined)?.value;
  return typeof value === 'number' ? value : undefined;
}

/**
 * Had the server already persisted this handler's success for this state? `body` is
 * the object as the server holds it (`undefined`: gone). Creation handlers are done
 * once the diff-base exists or their progress says so; the update handler once the
 * diff-base holds the value it saw; the deletion handler once the finalizer is gone.
 */
export function persistedSuccess(
  body: KubernetesObject | undefined,
  handler: ChaosHandlerId,
  value: number | undefined,
): boolean {
  if (body === undefined) return handler === 'delete_fn';
  switch (handler) {
    case 'create_first':
    case 'create_second':
      return hasDiffBase(body) || progressSucceeded(body, handler);
    case 'update_fn':
      return value !== undefined && handledValue(body) === value;
    case 'delete_fn':
      return !hasFinalizer(body);
  }
}
