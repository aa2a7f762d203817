import type { Body } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { MemorySink, Operator, PEERING_YAML } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD } from '../support.js';
import './operator.js';

let server: FakeApiServer | undefined;
let client: HttpClient | undefined;
const operators: Operator[] = [];
afterEach(async () => {
  for (const operator of operators.splice(0)) await operator.stop();
  client?.close();
  await server?.stop();
});

function start(identity: string, priority: number): Operator {
  const connection = {
    connection: { server: server?.url ?? '', caData: server?.caData, token: server?.token },
  };
  const operator = new Operator({
    identity,
    priority,
    connection,
    logs: new MemorySink(),
    settings: { peering: { lifetime: 3 } },
  });
  operators.push(operator);
  return operator;
}

describe('06-peering', () => {
  it('lets only the operator of the higher priority handle objects', async () => {
    server = await FakeApiServer.start();
    client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
    });
    const cluster = new Cluster(client);
    await cluster.apply(CRD);
    await cluster.apply(PEERING_YAML.pathname);
    process.env.POD_ID = 'high';
    const high = start('high', 10);
    await high.start();
    await high.ready;
    const low = start('low', 5);
    await low.start();
    await cluster.waitFor({ resource: 'clusterkopfpeerings', name: 'default' }, (o) =>
      JSON.stringify(o?.status ?? {}).includes('"low"'),
    );
    await cluster.apply({
      apiVersion: 'kopf.dev/v1',
      kind: 'KopfExample',
      metadata: { name: 'peered', namespace: 'default' },
      spec: {},
    });
    const object = await cluster.waitFor<Body>(
      { resource: 'kopfexamples', name: 'peered' },
      (o) => o?.status?.create_fn !== undefined,
    );
    expect(object?.status?.create_fn).toEqual({ by: 'high' });
    expect(low.paused).toBe(true);
    delete process.env.POD_ID;
  });
});
