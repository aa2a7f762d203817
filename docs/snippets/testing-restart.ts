import { on, Registry } from '@kopf/core';
import { FakeApiServer, runOperator } from '@kopf/testing';
import { expect, it } from 'vitest';

it('does not create twice across a restart', async () => {
  const created: string[] = [];
  const registry = new Registry();
  on.create('kopfexamples', { registry }, function create_fn({ name }) {
    created.push(name ?? '');
  });
  const server = await FakeApiServer.start(); // outlives both operators
  try {
    const first = await runOperator({ registry, server, apply: 'crd.yaml' });
    await first.cluster.apply('obj.yaml');
    await first.waitForLog('Creation is processed: 1 succeeded; 0 failed.');
    await first.stop(); // leaves the server running

    const second = await runOperator({ registry, server });
    await second.stop();
    expect(created).toEqual(['kopf-example-1']);
  } finally {
    await server.stop();
  }
});
