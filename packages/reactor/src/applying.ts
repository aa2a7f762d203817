/**
 * Applying what a processing cycle accumulated in its `Patch`, in as few API calls
 * as Kopf makes (or fewer): one merge patch of `/status` when it is a subresource,
 * one of the main body, then the body transformations (finalizers) as a JSON
 * Patch guarded by a `test` of the resourceVersion. A failed `test` (422) means a
 * newer change is coming through the watch: the transformations are kept and
 * retried on the next cycle. A 404 means the object is gone: nothing to do.
 *
 * Why `/status` goes first: it carries the handlers' results, while the main patch
 * carries the marks that say "handled" (the diff-base, annotation progress). Were
 * the operator to die between the two, the other order would leave an object marked
 * as handled with its results lost for good; this order leaves results stored and
 * the handler due again (at least once, as Kopf promises).
 */
import type { Body, DiffItem, Logger, Patch, PatchFn, Resource } from '@kopf/core';
import { type ApiClient, ApiUnprocessableError, getObject, patchObject } from '@kopf/k8s';
import type { Operation } from 'fast-json-patch';
import jsonpatch from 'fast-json-patch';
import { diff } from './diffs.js';

/** What applying a patch did. */
export interface Applied {
  /** The object's resourceVersion after the last successful patch; `undefined` if none or gone. */
  readonly version: string | undefined;
  /** Body transformations that could not be applied yet (a concurrent change won). */
  readonly remaining: readonly PatchFn[];
  /** The API answered 404: the object does not exist anymore. */
  readonly gone: boolean;
}

const NOTHING: Applied = { version: undefined, remaining: [], gone: false };

/**
 * Sends `patch` for `body`. Empty patches send nothing.
 *
 * @example
 * const { version } = await applyPatch(client, resource, body, patch, logger);
 */
export async function applyPatch(
  client: ApiClient,
  resource: Resource,
  body: Body,
  patch: Patch,
  logger: Logger,
): Promise<Applied> {
  const ref = { name: body.metadata?.name ?? '', namespace: body.metadata?.namespace };
  const merge = patch.toMergePatch();
  const asSubresource = resource.subresources.includes('status');
  const { status, ...main } = merge;
  const mainPatch = asSubresource ? main : merge;
  let fresh: Body | undefined = body;
  let patched = false;
  if (asSubresource && status !== undefined) {
    logger.debug(`Merge-patching the status with: ${JSON.stringify({ status })}`);
    fresh = await patchObject(client, resource, ref, { status }, { type: 'merge', subresource: 'status' });
    if (fresh === undefined) return gone(logger);
    warnOfInconsistencies({ status }, fresh, logger);
    patched = true;
  }
  if (Object.keys(mainPatch).length > 0) {
    logger.debug(`Merge-patching the resource with: ${JSON.stringify(mainPatch)}`);
    fresh = await patchObject(client, resource, ref, mainPatch, { type: 'merge' });
    if (fresh === undefined) return gone(logger);
    warnOfInconsistencies(mainPatch, fresh, logger);
    patched = true;
  }
  const transformed = await applyTransformations(client, resource, ref, fresh, patch.fns, logger);
  if (transformed === 'gone') return gone(logger);
  if (transformed === 'conflict')
    return { version: patched ? versionOf(fresh) : undefined, remaining: patch.fns, gone: false };
  const final = transformed ?? (patched ? fresh : undefined);
  return final ? { version: expectedVersion(final), remaining: [], gone: false } : NOTHING;
}

/**
 * Warns when the API stored less than was merge-patched: most often a structural
 * CRD schema pruned the fields (e.g. `status` without
 * `x-kubernetes-preserve-unknown-fields`), which would otherwise lose results and
 * progress silently. Only the patched keys are compared; the API's removal of
 * emptied `finalizers`, `labels` and `annotations` is not an inconsistency.
 */
function warnOfInconsistencies(sent: object, stored: Body, logger: Logger): void {
  const items = diff(sent, stored, { scope: 'left' }).filter((item) => !isEmptiedByTheApi(item));
  if (items.length === 0) return;
  logger.warning(
    `Merge-patching finished with inconsistencies: ${JSON.stringify(items)}. ` +
      'If the API dropped these fields, let the CRD schema keep them (x-kubernetes-preserve-unknown-fields: true).',
  );
}

const EMPTIED_BY_THE_API: ReadonlySet<string> = new Set([
  'metadata.finalizers',
  'metadata.labels',
  'metadata.annotations',
]);

function isEmptiedByTheApi(item: DiffItem): boolean {
  return EMPTIED_BY_THE_API.has(item.field.join('.')) && isVoid(item.old) && isVoid(item.new);
}

/** Absent, null, empty, or (as a merge patch) only nulls: what the API stores as nothing. */
function isVoid(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'object') return false;
  return Object.values(value).every(isVoid);
}

type Ref = { readonly name: string; readonly namespace: string | undefined };

/** JSON-patches the body transformations; `'conflict'` on a failed resourceVersion test. */
async function applyTransformations(
  client: ApiClient,
  resource: Resource,
  ref: Ref,
  fresh: Body,
  fns: readonly PatchFn[],
  logger: Logger,
): Promise<Body | undefined | 'gone' | 'conflict'> {
  if (fns.length === 0) return undefined;
  const target = fns.reduce<Body>((current, fn) => fn(structuredClone(current)), structuredClone(fresh));
  const asSubresource = resource.subresources.includes('status');
  const ops = jsonpatch.compare(fresh, target);
  const isStatus = (op: Operation): boolean => op.path === '/status' || op.path.startsWith('/status/');
  let result: Body | undefined;
  for (const [part, subset] of [
    ['resource', asSubresource ? ops.filter((op) => !isStatus(op)) : ops],
    ['status', asSubresource ? ops.filter(isStatus) : []],
  ] as const) {
    if (subset.length === 0) continue;
    const test: Operation = {
      op: 'test',
      path: '/metadata/resourceVersion',
      value: versionOf(result ?? fresh),
    };
    const body = [test, ...subset];
    logger.debug(`JSON-patching the ${part} with: ${JSON.stringify(body)}`);
    try {
      const subresource = part === 'status' ? 'status' : undefined;
      const patched: Body | undefined = await patchObject(client, resource, ref, body, {
        type: 'json',
        subresource,
      });
      if (patched === undefined) return 'gone';
      result = patched;
    } catch (error) {
      if (!(error instanceof ApiUnprocessableError)) throw error;
      return await explainUnprocessable(
        client,
        resource,
        ref,
        test.value as string | undefined,
        error,
        logger,
      );
    }
  }
  return result;
}

/**
 * A 422 is either the `test` of the resourceVersion failing (a newer change is on
 * its way: wait for it) or the API refusing the object itself (e.g. stored under a
 * looser schema): then no change is coming, and only a person can fix it. Which
 * one is told by reading the object: an unchanged version means the latter.
 */
async function explainUnprocessable(
  client: ApiClient,
  resource: Resource,
  ref: Ref,
  tested: string | undefined,
  error: ApiUnprocessableError,
  logger: Logger,
): Promise<'gone' | 'conflict'> {
  const current = await getObject(client, resource, ref);
  if (current === undefined) return 'gone';
  if (versionOf(current) === tested) {
    logger.warning(
      `The API refused to patch the object: ${error.message}. ` +
        'It will be handled again when it changes: fix the object (or let its CRD schema accept it).',
    );
  } else {
    logger.debug(
      'Could not apply the patch in full due to conflicts with newer changes. Will try on the next cycle soon.',
    );
  }
  return 'conflict';
}

function versionOf(body: Body | undefined): string | undefined {
  return body?.metadata?.resourceVersion;
}

/**
 * The version to wait for on the watch. When this patch removed the last finalizer
 * of a deleted object, the object is gone and no such version will ever come: none.
 */
function expectedVersion(body: Body): string | undefined {
  const deleting = Boolean(body.metadata?.deletionTimestamp);
  const blocked = (body.metadata?.finalizers?.length ?? 0) > 0;
  return deleting && !blocked ? undefined : versionOf(body);
}

function gone(logger: Logger): Applied {
  logger.debug('Patching was skipped: the object does not exist anymore.');
  return { version: undefined, remaining: [], gone: true };
}
