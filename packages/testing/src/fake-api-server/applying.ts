/**
 * Server-side apply (`PATCH` with `application/apply-patch+yaml`): checks of the applied
 * configuration as kube-apiserver's field manager makes them (kind and version of the
 * endpoint, no managedFields, the URL's name), create-on-apply (201), and apply onto the
 * live object through the ordinary update pipeline (`managed-fields.ts` does the merge,
 * the pruning and the conflicts).
 */
import { managedWrite } from './field-managers.js';
import { applyConfiguration, type ManagedWrite } from './managed-fields.js';
import { type JsonObject, metaOf } from './objects.js';
import { checkAppliedFields, settleObject } from './schema-decoding.js';
import { badRequest, notFound } from './statuses.js';
import {
  admitCreate,
  checkNamespace,
  checkResourceVersion,
  guaranteedUpdate,
  keyOf,
  type ObjectAddress,
  optionsObject,
  type WriteContext,
  type WriteOptions,
} from './writing.js';

/** What a server-side apply did: the object, and whether it created it (201). */
export interface ApplyOutcome {
  readonly object: JsonObject;
  readonly created: boolean;
}

function checkApplied(address: ObjectAddress, config: JsonObject): void {
  const { type } = address;
  const [group, version] = String(config.apiVersion ?? '').includes('/')
    ? String(config.apiVersion).split('/')
    : ['', String(config.apiVersion ?? '')];
  if (group !== type.group || version !== type.version || config.kind !== type.kind) {
    throw badRequest(`invalid object type: ${group}/${version}, Kind=${String(config.kind ?? '')}`);
  }
  const meta = metaOf(config);
  if (meta.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  if (meta.name !== undefined && meta.name !== address.name) {
    throw badRequest(
      `the name of the object (${meta.name}) does not match the name on the URL (${address.name})`,
    );
  }
  checkNamespace(address, config);
}

/** PATCH `application/apply-patch+yaml`: server-side apply, creating the object when absent. */
export async function applyObject(
  context: WriteContext,
  address: ObjectAddress,
  subresource: string,
  config: JsonObject,
  options: WriteOptions & { readonly fieldManager: string; readonly force: boolean },
): Promise<ApplyOutcome> {
  const { type } = address;
  checkApplied(address, config);
  checkAppliedFields(type, config);
  const requestOptions = optionsObject('PatchOptions', options, { force: options.force });
  const write = (): ManagedWrite => managedWrite(type, subresource, options.fieldManager, context.now());
  if (!context.store.get(type.storage, keyOf(address))) {
    if (subresource) throw notFound(type.group, type.plural, address.name);
    const meta = { ...metaOf(config), name: address.name };
    const seed = { ...config, metadata: type.namespaced ? { ...meta, namespace: address.namespace } : meta };
    const created = applyConfiguration(undefined, seed, write(), options.force);
    const object = await admitCreate(
      context,
      address,
      settleObject(type, created).object,
      options,
      requestOptions,
    );
    return { object, created: true };
  }
  const object = await guaranteedUpdate(context, address, subresource, options, requestOptions, (current) => {
    checkResourceVersion(address, current, config, true);
    return settleObject(type, applyConfiguration(current, config, write(), options.force)).object;
  });
  return { object, created: false };
}
