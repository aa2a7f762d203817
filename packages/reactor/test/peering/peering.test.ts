import type { Body } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { PEERING_YAML } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from '../support/processes.js';
import { CRD, eventually } from '../talk/support.js';

const FIXTURE = new URL('./fixtures/peering-operator.ts', import.meta.url).pathname;
const PEERING = { resource: 'clusterkopfpeerings', name: 'default' };

let server: FakeApiServer | undefined;
let client: HttpClient | undefined;
const children: Fixture[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.child.kill('SIGKILL');
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

/** Who handled the object, once its handler's result is stored. */
async function handledBy(cluster: Cluster, name: string): Promise<unknown> {
  const by = (o: Body | undefined) => (o?.status?.create_fn as { by?: string } | undefined)?.by;
  return by(await cluster.waitFor<Body>({ resource: 'kopfexamples', name }, (o) => by(o) !== undefined));
}

describe('peering of two operator processes', () => {
  it('lets only the higher priority act, and the other takes over within the lifetime when it is killed', async () => {
    server = await FakeApiServer.start();
    client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
    });
    const cluster = new Cluster(client);
    await cluster.apply(CRD);
    await cluster.apply(PEERING_YAML.pathname);

    const high = startFixture(FIXTURE, server, { IDENTITY: 'high', PRIORITY: '10' });
    children.push(high);
    await high.waitFor('started');
    await cluster.apply(example('first'));
    await high.waitFor('handled first');

    const low = startFixture(FIXTURE, server, { IDENTITY: 'low', PRIORITY: '5' });
    children.push(low);
    await low.waitFor('started');
    await cluster.waitFor(
      PEERING,
      (o) => (o?.status as Record<string, unknown> | undefined)?.low !== undefined,
    );
    await cluster.apply(example('second'));
    await high.waitFor('handled second');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(low.output()).toContain('paused');
    expect(low.output()).not.toContain('handled');
    expect(await handledBy(cluster, 'second')).toBe('high');

    high.child.kill('SIGKILL');
    expect(await high.exited(10)).toBeNull();
    const killedAt = Date.now();
    await cluster.apply(example('third'));
    await low.waitFor('handled third', 20);
    expect(Date.now() - killedAt).toBeLessThan(3_000 + 7_000); // the lifetime, and time to act
    expect(low.output()).toContain('resumed');
    expect(await handledBy(cluster, 'third')).toBe('low');
    const peering = await cluster.get<Body>(PEERING);
    expect(Object.keys(peering?.status ?? {})).toEqual(['low']);

    low.child.kill('SIGTERM');
    await low.waitFor('stopped');
    expect(await low.exited(10)).toBe(0);
    await eventually(
      async () => Object.keys((await cluster.get<Body>(PEERING))?.status ?? {}).length === 0,
      'no records left',
    );
  });
});
