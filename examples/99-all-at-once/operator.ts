/**
 * Everything at once (Kopf's example 99): startup and cleanup, two create handlers
 * (one fails once and is retried), an update and a field handler, a delete handler,
 * a child Pod adopted by the object, and an event handler on those pods that
 * reports their events into the parent's status.
 */
import { adopt, type Body, label, on, PRESENT, TemporaryError } from '@kopf/core';
import { createObject, patchObject } from '@kopf/k8s';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' };
const KOPFEXAMPLES = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  namespaced: true,
  subresources: ['status'],
};

on.startup(function startup_fn({ logger }) {
  logger.info('Starting the operator.');
});

on.cleanup(function cleanup_fn({ logger }) {
  logger.info('Cleaning up.');
});

on.create('kopfexamples', function create_1({ spec }) {
  return { field: spec.field };
});

on.create('kopfexamples', function create_2({ retry }) {
  if (retry === 0) throw new TemporaryError('First failure.', { delay: 0.1 });
  return { retries: retry };
});

on.create('kopfexamples', async function create_pod({ client, name }) {
  const pod: Body = {
    apiVersion: 'v1',
    kind: 'Pod',
    spec: { containers: [{ name: 'main', image: 'busybox' }] },
  };
  adopt(pod);
  label(pod, { 'parent-name': name ?? '' });
  const created = await createObject(client, PODS, pod);
  return { pod: created.metadata?.name };
});

on.update('kopfexamples', function update_fn({ diff, logger }) {
  logger.info(`Updated: ${JSON.stringify(diff)}`);
});

on.field('kopfexamples', { field: 'spec.field' }, function field_fn({ old, new: fresh, logger }) {
  logger.info(`Field changed: ${String(old)} -> ${String(fresh)}`);
});

on.delete('kopfexamples', function delete_fn({ logger }) {
  logger.info('Deleted: the children go with it.');
});

on.event(
  'pods',
  { labels: { 'parent-name': PRESENT } },
  async function pod_event({ client, event, labels, namespace }) {
    const parent = { name: labels['parent-name'] ?? '', namespace };
    const status = { children: { [event.object.metadata?.name ?? '']: event.type ?? 'LISTED' } };
    await patchObject(client, KOPFEXAMPLES, parent, { status }, { type: 'merge' });
  },
);
