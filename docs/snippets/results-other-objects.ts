import { on, PRESENT } from '@kopf/core';
import { patchObject } from '@kopf/k8s';

const KOPFEXAMPLES = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  namespaced: true,
  subresources: ['status'],
};

// `patch` changes the object being handled. Other objects are patched through the API:
// here the parent of a pod gets its child's phase in its status.
on.event(
  'pods',
  { labels: { 'parent-name': PRESENT } },
  async ({ client, body, labels, namespace, name }) => {
    const parent = { name: labels['parent-name'] ?? '', namespace };
    const phase = (body.status?.phase as string | undefined) ?? 'Unknown';
    const status = { children: { [name ?? '']: phase } };
    await patchObject(client, KOPFEXAMPLES, parent, { status }, { type: 'merge', subresource: 'status' });
  },
);
