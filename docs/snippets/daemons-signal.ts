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
  { cancellationTimeout: 30, initialDelay: 5 },
  async function follow({ stopped, client, name, namespace, logger }) {
    let polls = 0;
    while (!stopped.aborted) {
      try {
        // The signal aborts the request as soon as the daemon must stop.
        const response = await fetch('https://status.example.com/api/v1', { signal: stopped.signal });
        polls += 1;
        // A running daemon reports through the API: its `patch` is applied only when it returns.
        const status = { follow: { polls, upstream: response.status } };
        await patchObject(
          client,
          KOPFEXAMPLES,
          { name: name ?? '', namespace },
          { status },
          { type: 'merge' },
        );
      } catch (error) {
        if (stopped.aborted) break; // the abort, not a failure
        logger.warning(`Polling failed: ${String(error)}`);
      }
      await stopped.wait(60);
    }
  },
);
