/**
 * Daemons (Kopf's example 14): one long-running function per object, started when
 * the object appears, told to stop (`stopped`) when it is deleted; the deletion
 * waits for it. Progress is reported into the object's status through `patch`.
 */
import { on } from '@kopf/core';
import { patchObject } from '@kopf/k8s';

const KOPFEXAMPLES = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  namespaced: true,
  subresources: ['status'],
};

on.daemon(
  'kopfexamples',
  { cancellationTimeout: 5 },
  async function monitor({ stopped, client, name, namespace, logger }) {
    let ticks = 0;
    while (!stopped.aborted) {
      ticks += 1;
      await patchObject(
        client,
        KOPFEXAMPLES,
        { name: name ?? '', namespace },
        { status: { monitor: { ticks } } },
        { type: 'merge' },
      );
      await stopped.wait(0.2); // sleeps, or wakes at once when stopping
    }
    logger.info(`The monitor is stopping: ${stopped.reason} after ${ticks} ticks.`);
  },
);
