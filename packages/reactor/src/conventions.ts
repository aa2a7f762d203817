/**
 * How Kopf-based operators recognise each other's annotations (Kopf's
 * `StorageKeyMarkingConvention`), so that one operator's progress and diff-base
 * never count as changes for another one, which would make them ping-pong
 * forever. A prefix is Kopf-managed when it is `kopf.zalando.org`, ends with
 * `.kopf.zalando.org`, or carries a `<prefix>/kopf-managed` marker; storages with
 * a prefix not starting with `kopf.` write that marker next to their own keys.
 */
import type { Body, Patch } from '@kopf/core';
import { resolveField, resolveInPatch } from './field-paths.js';

/** The name of the marker annotation: `<prefix>/kopf-managed: "yes"`. */
export const KOPF_MANAGED_MARKER = 'kopf-managed';

/** The prefix that is Kopf's own, with all its subdomains. */
export const KOPF_PREFIX = 'kopf.zalando.org';

/**
 * The prefixes of `keys` (annotation keys) that belong to Kopf-based operators:
 * marked ones, `kopf.zalando.org` and its subdomains.
 *
 * @example
 * detectKopfManagedPrefixes(['example.com/kopf-managed', 'kopf.zalando.org/x', 'other/y'])
 * // Set { 'example.com', 'kopf.zalando.org' }
 */
export function detectKopfManagedPrefixes(keys: Iterable<string>): Set<string> {
  const prefixes = new Set<string>();
  for (const key of keys) {
    const slash = key.indexOf('/');
    if (slash < 0) continue;
    const prefix = key.slice(0, slash);
    const name = key.slice(slash + 1);
    if (name === KOPF_MANAGED_MARKER || prefix === KOPF_PREFIX || prefix.endsWith(`.${KOPF_PREFIX}`)) {
      prefixes.add(prefix);
    }
  }
  return prefixes;
}

/**
 * Writes `<prefix>/kopf-managed: "yes"` into the patch unless the prefix starts
 * with `kopf.` or the marker is already on the object or in the patch.
 */
export function storeKopfManagedMarker(prefix: string, body: Body, patch: Patch): void {
  if (!prefix || prefix.startsWith('kopf.')) return;
  const marker = `${prefix}/${KOPF_MANAGED_MARKER}`;
  const onBody = resolveField(body, ['metadata', 'annotations', marker]) !== undefined;
  const inPatch = resolveInPatch(patch, ['metadata', 'annotations', marker]) !== undefined;
  if (!onBody && !inPatch) patch.metadata.annotations[marker] = 'yes';
}
