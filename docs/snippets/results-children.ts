import {
  adjustNamespace,
  adopt,
  appendOwnerReference,
  type Body,
  buildObjectReference,
  buildOwnerReference,
  harmonizeNaming,
  label,
  on,
  removeOwnerReference,
} from '@kopf/core';
import { createObject } from '@kopf/k8s';

const JOBS = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true, kind: 'Job' };

on.create('kopfexamples', async function create_job({ client, name, spec }) {
  const job: Body = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'main', image: 'busybox', command: ['sleep', String(spec.duration ?? '60')] }],
        },
      },
    },
  };
  // Owner reference (deleted with the parent), generateName '<parent>-', the parent's
  // namespace and labels: the parent is the object being handled.
  adopt(job);
  // One more label, also on the pod template, so the pods carry it too.
  label(job, { 'parent-name': name ?? '' }, { nested: ['spec.template'] });
  const created = await createObject(client, JOBS, job);
  return { job: created.metadata?.name };
});

// The pieces adopt() is made of, each usable alone (outside handlers, pass the owner).
export function describeFamily(parent: Body, child: Body, oldParent: Body): void {
  appendOwnerReference(child, { owner: parent, controller: false }); // an extra, non-controlling owner
  removeOwnerReference(child, { owner: oldParent });
  harmonizeNaming(child, 'my-child', { strict: true }); // name 'my-child', unless it has one (or forced)
  adjustNamespace(child, 'team-a', { forced: true }); // even if it had a namespace
  console.log(buildOwnerReference(parent)); // { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true }
  console.log(buildObjectReference(child)); // { apiVersion, kind, name, uid, namespace } without empty fields
}
