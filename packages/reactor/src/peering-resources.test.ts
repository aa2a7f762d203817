import type { Body } from '@kopf/core';
import { createApiClient, discoverResources, type HttpClient } from '@kopf/k8s';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  freezeOperators,
  PEERING_YAML,
  PeeringResourceError,
  peeringResources,
  resumeOperators,
  selectPeeringResource,
} from './peering-resources.js';

let server: FakeApiServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.stop();
  server = client = undefined;
});

async function cluster(): Promise<Cluster> {
  server = await FakeApiServer.start();
  client = await createApiClient({
    connection: { server: server.url, caData: server.caData, token: server.token },
  });
  return new Cluster(client);
}

describe('the peering resources', () => {
  it('are the same in peering.yaml and peeringResources()', async () => {
    const fromYaml = await (await cluster()).apply(PEERING_YAML.pathname);
    const names = (objects: readonly { kind?: string; metadata?: { name?: string } }[]) =>
      objects.map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(names(fromYaml)).toEqual(names(peeringResources()));
    const crds = fromYaml.filter((o) => o.kind === 'CustomResourceDefinition') as Body[];
    const fromCode = peeringResources().filter((o) => o.kind === 'CustomResourceDefinition') as Body[];
    expect(crds.map((crd) => crd.spec)).toEqual(fromCode.map((crd) => crd.spec));
  });

  it('are found among the served resources, cluster-wide or namespaced', async () => {
    await (await cluster()).apply(peeringResources());
    const resources = await discoverResources(client as HttpClient);
    expect(selectPeeringResource(resources, true)?.plural).toBe('clusterkopfpeerings');
    expect(selectPeeringResource(resources, false)?.plural).toBe('kopfpeerings');
    expect(selectPeeringResource([], true)).toBeUndefined();
  });

  it('take freeze and resume records, per namespace for namespaced operators', async () => {
    const view = await cluster();
    await view.apply(peeringResources());
    await freezeOperators(client as HttpClient, {
      peering: 'default',
      namespaces: ['default'],
      lifetime: 600,
      identity: 'admin@laptop',
    });
    const frozen = await view.get<Body>({ resource: 'kopfpeerings', name: 'default', namespace: 'default' });
    expect(frozen?.status?.['admin@laptop']).toMatchObject({ priority: 100, lifetime: 600 });
    await resumeOperators(client as HttpClient, {
      peering: 'default',
      namespaces: ['default'],
      identity: 'admin@laptop',
    });
    const resumed = await view.get<Body>({ resource: 'kopfpeerings', name: 'default', namespace: 'default' });
    expect(resumed?.status?.['admin@laptop']).toBeUndefined();
  });

  it('must be applied before freezing, as the error says', async () => {
    await cluster();
    await expect(freezeOperators(client as HttpClient, { peering: 'default', lifetime: 60 })).rejects.toThrow(
      PeeringResourceError,
    );
    await expect(freezeOperators(client as HttpClient, { peering: 'default', lifetime: 60 })).rejects.toThrow(
      /Apply the peering CRDs first/,
    );
  });
});
