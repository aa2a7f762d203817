import { FakeApiServer } from '@kopf/testing';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, type Json, kopfExampleCrd, kubeConfigFor, raw, text } from './support.js';

let server: FakeApiServer;
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const KEX = '/apis/kopf.dev/v1/namespaces/default/kopfexamples';
const CM = '/api/v1/namespaces/default/configmaps';

/** The KopfExample CRD with a keyed list (`spec.ports`, by name) in its schema. */
function crdWithKeyedList(): Json {
  const crd = kopfExampleCrd();
  const version = (at(crd, 'spec', 'versions') as Json[])[0] as Json;
  (at(version, 'schema', 'openAPIV3Schema', 'properties') as Json).spec = {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
      },
    },
  };
  return crd;
}

beforeAll(async () => {
  server = await FakeApiServer.start();
  expect((await raw(server, CRDS, { method: 'POST', body: crdWithKeyedList() })).status).toBe(201);
});

afterAll(async () => {
  await server.stop();
});

function apply(path: string, body: string | Json, query = 'fieldManager=tester') {
  return raw(server, `${path}?${query}`, {
    method: 'PATCH',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/apply-patch+yaml' },
  });
}

function kex(name: string, spec: Json, extra: Json = {}): Json {
  return { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name, ...extra }, spec };
}

function managers(object: Json): string[][] {
  return (at(object, 'metadata', 'managedFields') as Json[]).map((entry) => [
    text(entry, 'manager'),
    text(entry, 'operation'),
  ]);
}

describe('server-side apply', () => {
  it('needs a field manager, and refuses force on other patches (422, as PatchOptions validation)', async () => {
    const missing = await apply(`${KEX}/nameless`, kex('nameless', {}), 'force=true');
    expect(missing.status).toBe(422);
    expect(missing.json()).toMatchObject({
      reason: 'Invalid',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    });
    const forced = await raw(server, `${KEX}/nameless?force=true`, {
      method: 'PATCH',
      body: '{}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(forced.status).toBe(422);
    expect(text(forced.json(), 'message')).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
  });

  it('creates on the first apply (201, YAML body) and patches on the next (200)', async () => {
    const yaml = [
      'apiVersion: kopf.dev/v1',
      'kind: KopfExample',
      'metadata:',
      '  name: applied-1',
      '  labels: {team: a}',
      'spec:',
      '  duration: 1m',
      '  ports:',
      '  - {name: http, port: 80}',
    ].join('\n');
    const created = await apply(`${KEX}/applied-1`, yaml);
    expect(created.status).toBe(201);
    const object = created.json();
    expect(object).toMatchObject({
      metadata: { name: 'applied-1', namespace: 'default', labels: { team: 'a' }, generation: 1 },
      spec: { duration: '1m', ports: [{ name: 'http', port: 80 }] },
    });
    expect(at(object, 'metadata', 'managedFields')).toEqual([
      {
        manager: 'tester',
        operation: 'Apply',
        apiVersion: 'kopf.dev/v1',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:team': {} } },
          'f:spec': {
            'f:duration': {},
            'f:ports': { 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} } },
          },
        },
      },
    ]);
    const again = await apply(
      `${KEX}/applied-1`,
      kex('applied-1', { duration: '2m', ports: [{ name: 'http', port: 80 }] }),
    );
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ spec: { duration: '2m' }, metadata: { generation: 2 } });
    // The label is no longer applied and nobody else owns it: it is gone.
    expect(at(again.json(), 'metadata', 'labels')).toBeUndefined();
  });

  it('answers 409 naming the field and its manager; force takes ownership', async () => {
    await apply(`${KEX}/contested`, kex('contested', { duration: '1m', ports: [{ name: 'a', port: 1 }] }));
    const conflicting = await apply(
      `${KEX}/contested`,
      kex('contested', { duration: '5m', ports: [{ name: 'b', port: 2 }] }),
      'fieldManager=rival',
    );
    expect(conflicting.status).toBe(409);
    expect(conflicting.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "tester": .spec.duration',
      reason: 'Conflict',
      details: {
        causes: [
          { type: 'FieldManagerConflict', message: 'conflict with "tester"', field: '.spec.duration' },
        ],
      },
      code: 409,
    });
    const forced = await apply(
      `${KEX}/contested`,
      kex('contested', { duration: '5m', ports: [{ name: 'b', port: 2 }] }),
      'fieldManager=rival&force=true',
    );
    expect(forced.status).toBe(200);
    expect(forced.json()).toMatchObject({
      spec: {
        duration: '5m',
        ports: [
          { name: 'a', port: 1 },
          { name: 'b', port: 2 },
        ],
      },
    });
    // Both keep an entry: tester still owns its port; rival took .spec.duration.
    expect(managers(forced.json()).sort()).toEqual([
      ['rival', 'Apply'],
      ['tester', 'Apply'],
    ]);
  });

  it('records other writes as Update entries, the manager from fieldManager or the User-Agent', async () => {
    const created = await raw(server, CM, {
      method: 'POST',
      body: { metadata: { name: 'tracked' }, data: { a: '1' } },
      headers: { 'User-Agent': 'my-operator/1.2.3 (linux/amd64)' },
    });
    expect(at(created.json(), 'metadata', 'managedFields')).toEqual([
      {
        manager: 'my-operator',
        operation: 'Update',
        apiVersion: 'v1',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
      },
    ]);
    const patched = await raw(server, `${CM}/tracked?fieldManager=editor`, {
      method: 'PATCH',
      body: { data: { a: '2' } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    const fields = Object.fromEntries(
      (at(patched.json(), 'metadata', 'managedFields') as Json[]).map((entry) => [
        text(entry, 'manager'),
        entry.fieldsV1,
      ]),
    );
    // The creator keeps the map itself (a member without children is `{}` in FieldsV1).
    expect(fields).toEqual({ 'my-operator': { 'f:data': {} }, editor: { 'f:data': { 'f:a': {} } } });
    const conflict = await apply(
      `${CM}/tracked`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tracked' }, data: { a: '3' } },
      'fieldManager=kubectl',
    );
    expect(text(conflict.json(), 'message')).toBe(
      'Apply failed with 1 conflict: conflict with "editor" using v1: .data.a',
    );
  });

  it('applies to /status, refuses a wrong kind, and persists nothing on dry runs', async () => {
    await apply(`${KEX}/with-status`, kex('with-status', { duration: '1m' }));
    const status = await apply(
      `${KEX}/with-status/status`,
      {
        apiVersion: 'kopf.dev/v1',
        kind: 'KopfExample',
        metadata: { name: 'with-status' },
        status: { phase: 'Up' },
      },
      'fieldManager=status-writer',
    );
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ status: { phase: 'Up' }, spec: { duration: '1m' } });
    const entry = (at(status.json(), 'metadata', 'managedFields') as Json[]).find(
      (item) => item.manager === 'status-writer',
    );
    expect(entry).toMatchObject({
      operation: 'Apply',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:phase': {} } },
    });
    const wrongKind = await apply(`${KEX}/with-status`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'with-status' },
    });
    expect(wrongKind.status).toBe(400);
    expect(text(wrongKind.json(), 'message')).toBe('invalid object type: /v1, Kind=ConfigMap');
    const dry = await apply(`${KEX}/dry`, kex('dry', { duration: '1m' }), 'fieldManager=tester&dryRun=All');
    expect(dry.status).toBe(201);
    expect((await raw(server, `${KEX}/dry`)).status).toBe(404);
  });

  it('serves client-node 1.4.0 SSA (an operator applying its own objects)', async () => {
    const custom = kubeConfigFor(server).makeApiClient(CustomObjectsApi);
    const base = { group: 'kopf.dev', version: 'v1', namespace: 'default', plural: 'kopfexamples' };
    const applied = (await custom.patchNamespacedCustomObject(
      {
        ...base,
        name: 'from-client',
        body: kex('from-client', { duration: '9m' }),
        fieldManager: 'kopf',
        force: true,
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    )) as Json;
    expect(applied).toMatchObject({ spec: { duration: '9m' } });
    expect(managers(applied)).toEqual([['kopf', 'Apply']]);
    const statusApplied = (await custom.patchNamespacedCustomObjectStatus(
      {
        ...base,
        name: 'from-client',
        body: { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', status: { create_fn: { message: 'done' } } },
        fieldManager: 'kopf',
        force: true,
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    )) as Json;
    expect(statusApplied).toMatchObject({ status: { create_fn: { message: 'done' } } });
  });
});
