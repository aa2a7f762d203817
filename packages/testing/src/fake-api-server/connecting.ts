/**
 * The CONNECT subresources of pods (`exec`, `attach`, `portforward`) as far as an API
 * server without nodes can serve them: the options are read from the query as
 * kube-apiserver reads them, admission runs with operation CONNECT and the options
 * object (so admission webhooks and RBAC on `pods/exec` can be tested), then the pod
 * is looked up and, since the fake schedules nothing, answered as kube-apiserver
 * answers for a pod without a node: 400 `pod "x" does not have a host assigned`.
 */
import type { AdmissionChain } from './admission.js';
import type { ResourceType } from './kinds.js';
import type { JsonObject } from './objects.js';
import { badRequest, serviceUnavailable } from './statuses.js';
import {
  admissionRequest,
  currentObject,
  type ObjectAddress,
  type WriteContext,
  type WriteOptions,
} from './writing.js';

/** The subresources that open a stream to a container, and the kind of their options. */
export const CONNECT_KINDS: Readonly<Record<string, string>> = {
  exec: 'PodExecOptions',
  attach: 'PodAttachOptions',
  portforward: 'PodPortForwardOptions',
};

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  return value === 'true' || value === '1';
}

/** The options object of a connect request, as its query carries it. */
export function connectOptions(subresource: string, params: URLSearchParams): JsonObject {
  const head = { kind: CONNECT_KINDS[subresource] ?? '', apiVersion: 'v1' };
  if (subresource === 'portforward') return { ...head, ports: params.getAll('ports').map(Number) };
  const streams = {
    ...(flag(params, 'stdin') ? { stdin: true } : {}),
    ...(flag(params, 'stdout') ? { stdout: true } : {}),
    ...(flag(params, 'stderr') ? { stderr: true } : {}),
    ...(flag(params, 'tty') ? { tty: true } : {}),
    ...(params.get('container') ? { container: params.get('container') } : {}),
  };
  return subresource === 'exec'
    ? { ...head, ...streams, command: params.getAll('command') }
    : { ...head, ...streams };
}

/** Admits a connect request (CONNECT, with the options as the object) and answers as a node-less server. */
export async function connect(
  context: WriteContext & { readonly admission: AdmissionChain },
  address: ObjectAddress & { readonly type: ResourceType },
  subresource: string,
  params: URLSearchParams,
  options: WriteOptions,
): Promise<never> {
  const object = connectOptions(subresource, params);
  const request = admissionRequest('CONNECT', address, subresource, { object }, options, object);
  const kind = { group: '', version: 'v1', kind: String(object.kind) };
  await context.admission.mutate({ ...request, kind });
  await context.admission.validate({ ...request, kind });
  const pod = currentObject(context, address);
  const nodeName = (pod.spec as JsonObject | undefined)?.nodeName;
  if (!nodeName) throw badRequest(`pod ${address.name} does not have a host assigned`);
  throw serviceUnavailable(
    `no kubelet serves node ${String(nodeName)}: the fake API server runs no containers, so ${subresource} cannot connect`,
  );
}
