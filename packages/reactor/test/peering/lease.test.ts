import { type Body, on, Registry } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { MemorySink, Operator } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, eventually } from '../talk/support.js';

let server: FakeApiServer | undefined;
let client: HttpClient | undefined;
const operators: Operator[] = [];
afterEach(async () => {
  await Promise.all(operators.splice(0).map((operator) => operator.stop()));
  client?.close();
  await server?.stop();
  server = client = undefined;
});

function example(name: string): Body {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name, namespace: 'default' },
    spec: {},
  };
}

/** An operator that records which objects it created, competing for one lease. */
function replica(identity: string, handled: string[]): Operator {
  const registry = new Registry();
  on.create('kopfexamples', { registry }, function create_fn({ name }) {
    handled.push(`${identity} ${name}`);
    return { by: identity };
  });
  const operator = new Operator({
    registry,
    client,
    identity,
    logs: new MemorySink(),
    standalone: true,
    lease: { namespace: 'default', name: 'example-operator', duration: 2 },
  });
  operators.push(operator);
  return operator;
}

describe('leadership through a Lease', () => {
  it('lets only the holder act; another replica takes over when the holder stops', async () => {
    server = await FakeApiServer.start();
    client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
    });
    const cluster = new Cluster(client);
    await cluster.apply(CRD);
    const handled: string[] = [];
    const first = replica('first', handled);
    await first.start();
    await first.ready;
    const second = replica('second', handled);
    await second.start();
    await cluster.apply(example('one'));
    await eventually(() => handled.length === 1, 'the leader handles the object');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(handled).toEqual(['first one']);
    expect(second.paused).toBe(true);
    const lease = await cluster.get<Body>({ resource: 'leases', name: 'example-operator' });
    expect(lease?.spec).toMatchObject({ holderIdentity: 'first', leaseDurationSeconds: 2 });

    await first.stop(); // releases the lease
    await eventually(() => !second.paused, 'the second replica leads', 10);
    await cluster.apply(example('two'));
    await eventually(() => handled.includes('second two'), 'the new leader handles new objects');
    expect(handled).toEqual(['first one', 'second two']);
  });
});
