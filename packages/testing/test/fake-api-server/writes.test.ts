import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, kopfExample, kopfExampleCrd, raw, text } from './support.js';

let server: FakeApiServer;
const KEX = '/apis/kopf.dev/v1/namespaces/default/kopfexamples';
const CM = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  server = await FakeApiServer.start();
  const crd = await raw(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    method: 'POST',
    body: kopfExampleCrd(),
  });
  expect(crd.status).toBe(201);
});

afterAll(async () => {
  await server.stop();
});

async function create(name: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await raw(server, KEX, { method: 'POST', body: kopfExample(name, extra) });
  expect(response.status).toBe(201);
  return response.json();
}

function patch(path: string, body: unknown, type = 'application/merge-patch+json') {
  return raw(server, path, {
    method: 'PATCH',
    body: JSON.stringify(body),
    headers: { 'Content-Type': type },
  });
}

describe('create', () => {
  it('sets the system fields, drops the status of a status-subresource kind, and answers 201', async () => {
    const created = await create('create-1', { status: { forged: true } });
    expect(created.metadata).toMatchObject({ name: 'create-1', namespace: 'default', generation: 1 });
    expect(text(created, 'metadata', 'creationTimestamp')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created).not.toHaveProperty('status');
  });

  it('generates names, refuses duplicates with 409 AlreadyExists, and needs an existing namespace', async () => {
    const generated = await raw(server, CM, { method: 'POST', body: { metadata: { generateName: 'gen-' } } });
    expect(text(generated.json(), 'metadata', 'name')).toMatch(/^gen-[a-z0-9]{5}$/);
    await create('dup-1');
    const dup = await raw(server, KEX, { method: 'POST', body: kopfExample('dup-1') });
    expect(dup.status).toBe(409);
    expect(dup.json()).toMatchObject({
      reason: 'AlreadyExists',
      message: 'kopfexamples.kopf.dev "dup-1" already exists',
      details: { name: 'dup-1', group: 'kopf.dev', kind: 'kopfexamples' },
    });
    const missing = await raw(server, '/api/v1/namespaces/nowhere/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'x' } },
    });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({
      message: 'namespaces "nowhere" not found',
      details: { name: 'nowhere', kind: 'namespaces' },
    });
  });

  it('validates names (422) and the namespace of the body (400)', async () => {
    const invalid = await raw(server, CM, { method: 'POST', body: { metadata: { name: 'Bad_Name' } } });
    expect(invalid.status).toBe(422);
    expect(invalid.json()).toMatchObject({
      reason: 'Invalid',
      details: { kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] },
    });
    expect(text(invalid.json(), 'message')).toMatch(
      /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    const elsewhere = await raw(server, CM, {
      method: 'POST',
      body: { metadata: { name: 'x', namespace: 'kube-system' } },
    });
    expect(elsewhere.status).toBe(400);
    expect(text(elsewhere.json(), 'message')).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  it('refuses a resourceVersion on objects to be created, as etcd3 storage does', async () => {
    const response = await raw(server, CM, {
      method: 'POST',
      body: { metadata: { name: 'with-rv', resourceVersion: '5' } },
    });
    expect(response.status).toBe(500);
    expect(text(response.json(), 'message')).toBe(
      'Internal error occurred: resourceVersion should not be set on objects to be created',
    );
  });

  it('accepts YAML bodies and persists nothing on dryRun=All', async () => {
    const yaml = await raw(server, CM, {
      method: 'POST',
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n',
      headers: { 'Content-Type': 'application/yaml' },
    });
    expect(yaml.status).toBe(201);
    const before = (await raw(server, CM)).json();
    const dry = await raw(server, `${CM}?dryRun=All`, {
      method: 'POST',
      body: { metadata: { name: 'dry' } },
    });
    expect(dry.status).toBe(201);
    expect((await raw(server, `${CM}/dry`)).status).toBe(404);
    expect(text((await raw(server, CM)).json(), 'metadata', 'resourceVersion')).toBe(
      text(before, 'metadata', 'resourceVersion'),
    );
  });
});

describe('update (PUT)', () => {
  it('answers 409 for a stale resourceVersion and 422 without one on custom resources', async () => {
    const created = await create('put-1');
    const stale = { ...created, metadata: { ...(created.metadata as object), resourceVersion: '1' } };
    const conflict = await raw(server, `${KEX}/put-1`, { method: 'PUT', body: stale });
    expect(conflict.status).toBe(409);
    expect(conflict.json()).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on kopfexamples.kopf.dev "put-1": the object has been modified; please apply your changes to the latest version and try again',
    });
    const unversioned = { ...created, metadata: { name: 'put-1', namespace: 'default' } };
    const missing = await raw(server, `${KEX}/put-1`, { method: 'PUT', body: unversioned });
    expect(missing.status).toBe(422);
    expect(text(missing.json(), 'message')).toBe(
      'KopfExample.kopf.dev "put-1" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
  });

  it('allows unconditional updates of built-ins', async () => {
    await raw(server, CM, { method: 'POST', body: { metadata: { name: 'put-cm' }, data: { a: '1' } } });
    const updated = await raw(server, `${CM}/put-cm`, {
      method: 'PUT',
      body: { metadata: { name: 'put-cm' }, data: { a: '2' } },
    });
    expect(updated.status).toBe(200);
    expect(at(updated.json(), 'data')).toEqual({ a: '2' });
  });

  it('splits status both ways and bumps the generation only for spec changes', async () => {
    const created = await create('status-1');
    const main = await raw(server, `${KEX}/status-1`, {
      method: 'PUT',
      body: { ...created, spec: { x: 1 }, status: { ignored: true } },
    });
    expect(main.json()).toMatchObject({ metadata: { generation: 2 }, spec: { x: 1 } });
    expect(main.json()).not.toHaveProperty('status');
    const status = await patch(`${KEX}/status-1/status`, {
      spec: { x: 2 },
      metadata: { labels: { ignored: 'yes' } },
      status: { ok: true },
    });
    expect(status.json()).toMatchObject({
      metadata: { generation: 2 },
      spec: { x: 1 },
      status: { ok: true },
    });
    expect(at(status.json(), 'metadata', 'labels')).toEqual({ somelabel: 'somevalue' });
  });

  it('bumps the generation for status changes when status is not a subresource', async () => {
    const response = await raw(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      method: 'POST',
      body: {
        ...kopfExampleCrd({ status: false }),
        metadata: { name: 'plains.kopf.dev' },
        spec: {
          ...(kopfExampleCrd({ status: false }).spec as object),
          names: { kind: 'Plain', plural: 'plains' },
        },
      },
    });
    expect(response.status).toBe(201);
    await raw(server, '/apis/kopf.dev/v1/namespaces/default/plains', {
      method: 'POST',
      body: { apiVersion: 'kopf.dev/v1', kind: 'Plain', metadata: { name: 'p' } },
    });
    const patched = await patch('/apis/kopf.dev/v1/namespaces/default/plains/p', { status: { a: 1 } });
    expect(patched.json()).toMatchObject({ metadata: { generation: 2 }, status: { a: 1 } });
  });
});

describe('patch', () => {
  it('does exact RFC 7386 merge patches and keeps the resourceVersion of a no-op', async () => {
    const created = await create('merge-1');
    const patched = await patch(`${KEX}/merge-1`, {
      spec: { items: null, duration: '2m', nested: { a: null, b: 1 } },
    });
    expect(at(patched.json(), 'spec')).toEqual({ duration: '2m', field: 'value', nested: { b: 1 } });
    const again = await patch(`${KEX}/merge-1`, { spec: { duration: '2m' } });
    expect(text(again.json(), 'metadata', 'resourceVersion')).toBe(
      text(patched.json(), 'metadata', 'resourceVersion'),
    );
    expect(text(created, 'metadata', 'resourceVersion')).not.toBe(
      text(patched.json(), 'metadata', 'resourceVersion'),
    );
  });

  it('answers 409 when a merge patch carries a stale resourceVersion', async () => {
    await create('merge-rv');
    const response = await patch(`${KEX}/merge-rv`, { metadata: { resourceVersion: '1' }, spec: { x: 1 } });
    expect(response.status).toBe(409);
  });

  it('answers 422 for a failed JSON-patch test, as Kopf relies on', async () => {
    await create('json-1');
    const response = await patch(
      `${KEX}/json-1`,
      [
        { op: 'test', path: '/metadata/resourceVersion', value: '1' },
        { op: 'add', path: '/spec/x', value: 1 },
      ],
      'application/json-patch+json',
    );
    expect(response.status).toBe(422);
    expect(response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
  });

  it('refuses strategic merge on custom resources with 415 and applies it to built-ins', async () => {
    await create('smp-1');
    const refused = await patch(`${KEX}/smp-1`, { spec: { x: 1 } }, 'application/strategic-merge-patch+json');
    expect(refused.status).toBe(415);
    expect(text(refused.json(), 'message')).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    await raw(server, CM, {
      method: 'POST',
      body: { metadata: { name: 'smp-cm', finalizers: ['a.io/x'] }, data: { a: '1' } },
    });
    const merged = await patch(
      `${CM}/smp-cm`,
      { metadata: { finalizers: ['b.io/y'] }, data: { b: '2' } },
      'application/strategic-merge-patch+json',
    );
    expect(merged.status).toBe(200);
    expect(merged.json()).toMatchObject({ data: { a: '1', b: '2' } });
    expect([...(at(merged.json(), 'metadata', 'finalizers') as string[])].sort()).toEqual([
      'a.io/x',
      'b.io/y',
    ]);
  });

  it('answers 404 for a missing object and 415 for an unknown patch type', async () => {
    expect((await patch(`${KEX}/absent`, { spec: {} })).status).toBe(404);
    expect((await patch(`${KEX}/absent`, { spec: {} }, 'application/x-unknown-patch')).status).toBe(415);
  });
});

describe('delete and finalizers', () => {
  it('answers a Success Status with the plural as kind when deleting at once', async () => {
    const created = await create('del-1');
    const response = await raw(server, `${KEX}/del-1`, {
      method: 'DELETE',
      body: { propagationPolicy: 'Background' },
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: 'del-1',
        group: 'kopf.dev',
        kind: 'kopfexamples',
        uid: text(created, 'metadata', 'uid'),
      },
    });
    expect((await raw(server, `${KEX}/del-1`)).status).toBe(404);
  });

  it('marks objects with finalizers, forbids new finalizers, and removes them with the last finalizer', async () => {
    await create('fin-1', { metadata: { name: 'fin-1', finalizers: ['kopf.dev/a'] } });
    const marked = (await raw(server, `${KEX}/fin-1`, { method: 'DELETE' })).json();
    expect(marked).toMatchObject({
      metadata: { generation: 2, deletionGracePeriodSeconds: 0, finalizers: ['kopf.dev/a'] },
    });
    expect(text(marked, 'metadata', 'deletionTimestamp')).not.toBe('');
    const again = (await raw(server, `${KEX}/fin-1`, { method: 'DELETE' })).json();
    expect(text(again, 'metadata', 'resourceVersion')).toBe(text(marked, 'metadata', 'resourceVersion'));
    const added = await patch(`${KEX}/fin-1`, { metadata: { finalizers: ['kopf.dev/a', 'kopf.dev/b'] } });
    expect(added.status).toBe(422);
    expect(text(added.json(), 'message')).toContain(
      'no new finalizers can be added if the object is being deleted, found new finalizers []string{"kopf.dev/b"}',
    );
    const released = await patch(
      `${KEX}/fin-1`,
      [{ op: 'remove', path: '/metadata/finalizers' }],
      'application/json-patch+json',
    );
    expect(released.status).toBe(200);
    expect(text(released.json(), 'metadata', 'name')).toBe('fin-1');
    expect((await raw(server, `${KEX}/fin-1`)).status).toBe(404);
  });

  it('checks preconditions (409) and returns the deleted object for kinds that do', async () => {
    const pod = (
      await raw(server, '/api/v1/namespaces/default/pods', {
        method: 'POST',
        body: { metadata: { name: 'pod-1' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      })
    ).json();
    const wrong = await raw(server, '/api/v1/namespaces/default/pods/pod-1', {
      method: 'DELETE',
      body: { preconditions: { uid: 'nope' } },
    });
    expect(wrong.status).toBe(409);
    expect(text(wrong.json(), 'message')).toContain('Precondition failed: UID in precondition: nope');
    const deleted = await raw(server, '/api/v1/namespaces/default/pods/pod-1?gracePeriodSeconds=0', {
      method: 'DELETE',
    });
    expect(deleted.json()).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'pod-1', uid: text(pod, 'metadata', 'uid') },
    });
  });

  it('deletes collections by selector', async () => {
    for (const name of ['dc-1', 'dc-2', 'dc-3']) {
      await raw(server, CM, {
        method: 'POST',
        body: { metadata: { name, labels: { group: name === 'dc-3' ? 'b' : 'a' } } },
      });
    }
    const response = await raw(server, `${CM}?labelSelector=group%3Da`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(
      (response.json().items as { metadata: { name: string } }[]).map((item) => item.metadata.name),
    ).toEqual(['dc-1', 'dc-2']);
    expect((await raw(server, `${CM}/dc-3`)).status).toBe(200);
  });
});

describe('events', () => {
  it('stores events.k8s.io/v1 events in the core/v1 storage, converted', async () => {
    const created = await raw(server, '/apis/events.k8s.io/v1/namespaces/default/events', {
      method: 'POST',
      body: {
        metadata: { name: 'ev-v1' },
        regarding: { kind: 'Pod', name: 'p' },
        note: 'hello',
        reason: 'Test',
        type: 'Normal',
        eventTime: '2026-01-01T00:00:00.000000Z',
        reportingController: 'kopf',
        reportingInstance: 'dev',
        action: 'Testing',
      },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      note: 'hello',
      regarding: { name: 'p' },
    });
    const core = (await raw(server, '/api/v1/namespaces/default/events/ev-v1')).json();
    expect(core).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      message: 'hello',
      involvedObject: { name: 'p' },
      reportingComponent: 'kopf',
    });
  });
});

describe('protobuf bodies', () => {
  it('refuses protobuf for custom resources with 415', async () => {
    const response = await raw(server, KEX, {
      method: 'POST',
      body: Buffer.from('k8s\u0000'),
      headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
    });
    expect(response.status).toBe(415);
  });
});
