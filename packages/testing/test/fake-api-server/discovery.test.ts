import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, kopfExampleCrd, raw, text } from './support.js';

let server: FakeApiServer;
const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

beforeAll(async () => {
  server = await FakeApiServer.start();
});

afterAll(async () => {
  await server.stop();
});

describe('discovery', () => {
  it('answers /api with the server address and /apis with every built-in group', async () => {
    expect((await raw(server, '/api')).json()).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: new URL(server.url).host }],
    });
    const groups = (at((await raw(server, '/apis')).json(), 'groups') as { name: string }[]).map(
      (group) => group.name,
    );
    expect(groups).toEqual([
      'apps',
      'batch',
      'coordination.k8s.io',
      'events.k8s.io',
      'apiextensions.k8s.io',
      'rbac.authorization.k8s.io',
      'authorization.k8s.io',
      'authentication.k8s.io',
      'admissionregistration.k8s.io',
    ]);
  });

  it('answers every group-version it lists, as kubectl fetches them all', async () => {
    const groups = at((await raw(server, '/apis')).json(), 'groups') as {
      versions: { groupVersion: string }[];
    }[];
    const paths = [
      '/api/v1',
      ...groups.flatMap((group) => group.versions.map((version) => `/apis/${version.groupVersion}`)),
    ];
    for (const path of paths) {
      const response = await raw(server, path);
      expect(response.status, path).toBe(200);
      expect(response.json()).toMatchObject({ kind: 'APIResourceList' });
    }
  });

  it('serves aggregated discovery v2 and v2beta1 with their exact media types', async () => {
    for (const [accept, version] of [
      [`${V2},${V2BETA1},application/json`, 'v2'],
      [`${V2BETA1},application/json`, 'v2beta1'],
    ] as const) {
      const response = await raw(server, '/apis', { headers: { Accept: accept } });
      expect(response.headers['content-type']).toBe(
        `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
      );
      expect(response.json()).toMatchObject({
        kind: 'APIGroupDiscoveryList',
        apiVersion: `apidiscovery.k8s.io/${version}`,
      });
    }
    const core = (await raw(server, '/api', { headers: { Accept: V2 } })).json();
    const resources = at(core, 'items', 0, 'versions', 0, 'resources') as {
      resource: string;
      scope: string;
      subresources?: { subresource: string }[];
    }[];
    expect(at(core, 'items', 0, 'metadata', 'name')).toBe('');
    expect(resources.find((resource) => resource.resource === 'namespaces')).toMatchObject({
      scope: 'Cluster',
      responseKind: { group: '', version: 'v1', kind: 'Namespace' },
      subresources: [{ subresource: 'status' }, { subresource: 'finalize' }],
    });
  });

  it('changes as soon as a CRD is established, aggregated and legacy alike', async () => {
    expect((await raw(server, '/apis/kopf.dev/v1')).status).toBe(404);
    await raw(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      method: 'POST',
      body: kopfExampleCrd(),
    });
    expect((await raw(server, '/apis/kopf.dev/v1')).status).toBe(200);
    const aggregated = (await raw(server, '/apis', { headers: { Accept: V2 } })).json();
    const kopf = (at(aggregated, 'items') as { metadata: { name: string } }[]).find(
      (item) => item.metadata.name === 'kopf.dev',
    );
    expect(at(kopf, 'versions', 0, 'resources', 0)).toMatchObject({
      resource: 'kopfexamples',
      scope: 'Namespaced',
      singularResource: 'kopfexample',
      shortNames: ['kopfexes', 'kopfex', 'kexes', 'kex'],
      subresources: [{ subresource: 'status', verbs: ['get', 'patch', 'update'] }],
    });
  });

  it('serves OpenAPI v3 for every group-version, and the protobuf v2 document', async () => {
    const root = (await raw(server, '/openapi/v3')).json();
    const entry = text(root, 'paths', 'apis/kopf.dev/v1', 'serverRelativeURL');
    expect(entry).toMatch(/^\/openapi\/v3\/apis\/kopf\.dev\/v1\?hash=/);
    const document = (await raw(server, entry)).json();
    expect(JSON.stringify(document)).toContain(
      '"x-kubernetes-group-version-kind":{"group":"kopf.dev","version":"v1","kind":"KopfExample"}',
    );
    const v2 = await raw(server, '/openapi/v2', {
      headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(v2.status).toBe(200);
    expect(v2.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  });
});
