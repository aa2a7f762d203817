import { FakeApiServer } from '@kopf/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  allow,
  patchResponse,
  startWebhook,
  type TestWebhook,
  type WebhookAnswer,
} from '../support/webhook-server.js';
import { at, type Json, raw, text } from './support.js';

let server: FakeApiServer;
let webhook: TestWebhook;
/** What the test webhook answers; each test sets it. */
let answer: (request: Json, path: string) => WebhookAnswer = allow;

const CM = '/api/v1/namespaces/default/configmaps';
const VALIDATING = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const MUTATING = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';

beforeAll(async () => {
  webhook = await startWebhook((request, path) => answer(request, path), ['hook.webhooks.svc']);
  server = await FakeApiServer.start({
    namespaces: ['guarded', 'free'],
    serviceResolver: (service) => `https://127.0.0.1:${webhook.port}${service.path ?? ''}`,
  });
});

afterAll(async () => {
  await server?.stop();
  await webhook?.stop();
});

afterEach(async () => {
  answer = allow;
  webhook.received.length = 0;
  await raw(server, VALIDATING, { method: 'DELETE' });
  await raw(server, MUTATING, { method: 'DELETE' });
});

function configuration(kind: 'Validating' | 'Mutating', name: string, webhooks: Json[]): Json {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: `${kind}WebhookConfiguration`,
    metadata: { name },
    webhooks: webhooks.map((overrides) => ({
      name: `${name}.kopf.dev`,
      clientConfig: { url: `${webhook.url}/${name}`, caBundle: webhook.caBundle },
      rules: [
        { operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] },
      ],
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      ...overrides,
    })),
  };
}

async function register(kind: 'Validating' | 'Mutating', name: string, ...webhooks: Json[]): Promise<Json> {
  const response = await raw(server, kind === 'Validating' ? VALIDATING : MUTATING, {
    method: 'POST',
    body: configuration(kind, name, webhooks.length ? webhooks : [{}]),
  });
  expect(response.status).toBe(201);
  return response.json();
}

function createConfigMap(name: string, labels: Record<string, string> = {}, path = CM) {
  return raw(server, path, { method: 'POST', body: { metadata: { name, labels }, data: { a: '1' } } });
}

describe('validating webhooks', () => {
  it('get an AdmissionReview v1 with the request, the user and the options, at ?timeout=10s', async () => {
    await register('Validating', 'inspect');
    expect((await createConfigMap('inspected')).status).toBe(201);
    const [call] = webhook.received;
    expect(call?.path).toBe('/inspect?timeout=10s');
    expect(call?.request).toMatchObject({
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      requestKind: { group: '', version: 'v1', kind: 'ConfigMap' },
      name: 'inspected',
      namespace: 'default',
      operation: 'CREATE',
      userInfo: { username: 'kopf-fake-admin', groups: ['system:masters', 'system:authenticated'] },
      object: { metadata: { name: 'inspected', namespace: 'default' }, data: { a: '1' } },
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    });
    expect(text(call?.request, 'uid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('deny with the webhook code and message as kubectl prints them; others pass', async () => {
    await register('Validating', 'deny');
    answer = (request) =>
      at(request, 'object', 'metadata', 'labels', 'deny') === 'yes'
        ? { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'labelled deny' } }
        : allow();
    const denied = await createConfigMap('denied', { deny: 'yes' });
    expect(denied.status).toBe(403);
    expect(denied.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'admission webhook "deny.kopf.dev" denied the request: labelled deny',
      reason: 'Forbidden',
      code: 403,
    });
    expect((await createConfigMap('allowed')).status).toBe(201);
    answer = () => ({ allowed: false });
    const bare = await createConfigMap('bare');
    expect(bare.status).toBe(400);
    expect(text(bare.json(), 'message')).toBe(
      'admission webhook "deny.kopf.dev" denied the request without explanation',
    );
  });

  it('see the old object on UPDATE and DELETE, and warnings reach the client as Warning headers', async () => {
    expect((await createConfigMap('lifecycle')).status).toBe(201);
    await register('Validating', 'watcher', {
      rules: [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    });
    answer = (request) => ({ allowed: true, warnings: [`saw ${String(request.operation)}`] });
    const patched = await raw(server, `${CM}/lifecycle`, {
      method: 'PATCH',
      body: { data: { a: '2' } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(patched.headers.warning).toBe('299 - "saw UPDATE"');
    const deleted = await raw(server, `${CM}/lifecycle`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const [update, remove] = webhook.received.map((call) => call.request);
    expect(update).toMatchObject({
      operation: 'UPDATE',
      object: { data: { a: '2' } },
      oldObject: { data: { a: '1' } },
      options: { kind: 'PatchOptions' },
    });
    expect(remove).toMatchObject({ operation: 'DELETE', object: null, oldObject: { data: { a: '2' } } });
    expect(remove?.options).toMatchObject({ kind: 'DeleteOptions' });
  });

  it('pass dryRun through and refuse dry runs to webhooks with side effects (422 at registration)', async () => {
    await register('Validating', 'dry');
    const dry = await createConfigMap('dry-run', {}, `${CM}?dryRun=All`);
    expect(dry.status).toBe(201);
    expect(webhook.received[0]?.request.dryRun).toBe(true);
    const bad = await raw(server, VALIDATING, {
      method: 'POST',
      body: configuration('Validating', 'effects', [{ sideEffects: 'Some', timeoutSeconds: 31 }]),
    });
    expect(bad.status).toBe(422);
    expect(text(bad.json(), 'message')).toBe(
      'ValidatingWebhookConfiguration.admissionregistration.k8s.io "effects" is invalid: [webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun", webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds]',
    );
  });

  it('are stored with the v1 defaults', async () => {
    const stored = await register('Validating', 'defaults');
    expect(at(stored, 'webhooks', 0)).toMatchObject({
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      rules: [{ scope: '*' }],
    });
  });
});

describe('webhook failures', () => {
  it('fail closed with 500 on an unreachable webhook, or open with failurePolicy Ignore', async () => {
    const closed = { url: 'https://127.0.0.1:1/nowhere', caBundle: webhook.caBundle };
    await register('Validating', 'closed', { clientConfig: closed });
    const refused = await createConfigMap('unreachable');
    expect(refused.status).toBe(500);
    expect(refused.json()).toMatchObject({
      reason: 'InternalError',
      message:
        'Internal error occurred: failed calling webhook "closed.kopf.dev": failed to call webhook: Post "https://127.0.0.1:1/nowhere?timeout=10s": dial tcp 127.0.0.1:1: connect: connection refused',
    });
    await raw(server, VALIDATING, { method: 'DELETE' });
    await register('Validating', 'open', { clientConfig: closed, failurePolicy: 'Ignore' });
    expect((await createConfigMap('ignored')).status).toBe(201);
  });

  it('fail on timeouts, untrusted certificates and bad answers', async () => {
    await register('Validating', 'slow', { timeoutSeconds: 1 });
    answer = () => 'hang';
    const slow = await createConfigMap('slow');
    expect(slow.status).toBe(500);
    expect(text(slow.json(), 'message')).toMatch(
      /failed calling webhook "slow\.kopf\.dev": .*context deadline exceeded$/,
    );
    await raw(server, VALIDATING, { method: 'DELETE' });
    const stranger = Buffer.from(server.caData).toString('base64');
    await register('Validating', 'untrusted', {
      clientConfig: { url: `${webhook.url}/x`, caBundle: stranger },
    });
    answer = allow;
    const untrusted = await createConfigMap('untrusted');
    expect(text(untrusted.json(), 'message')).toMatch(/x509: certificate signed by unknown authority$/);
    await raw(server, VALIDATING, { method: 'DELETE' });
    await register('Validating', 'garbled');
    answer = () => ({ raw: { status: 200, body: '{"response":{"uid":"wrong","allowed":true}}' } });
    const garbled = await createConfigMap('garbled');
    expect(text(garbled.json(), 'message')).toMatch(
      /received invalid webhook response: expected response\.uid=/,
    );
  });
});

describe('matching', () => {
  it('by namespace and object selectors, scope and subresource rules', async () => {
    await raw(server, '/api/v1/namespaces/guarded', {
      method: 'PATCH',
      body: { metadata: { labels: { guard: 'on' } } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    await register('Validating', 'selective', {
      namespaceSelector: { matchLabels: { guard: 'on' } },
      objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] },
    });
    answer = () => ({ allowed: false, status: { message: 'guarded' } });
    expect((await createConfigMap('in-guarded', {}, '/api/v1/namespaces/guarded/configmaps')).status).toBe(
      400,
    );
    expect(
      (await createConfigMap('skipped', { skip: 'yes' }, '/api/v1/namespaces/guarded/configmaps')).status,
    ).toBe(201);
    expect((await createConfigMap('in-free', {}, '/api/v1/namespaces/free/configmaps')).status).toBe(201);
  });

  it('with matchPolicy Equivalent, calls a webhook for another version of the resource in that version', async () => {
    await register('Validating', 'events', {
      rules: [
        { operations: ['CREATE'], apiGroups: ['events.k8s.io'], apiVersions: ['v1'], resources: ['events'] },
      ],
    });
    const event = {
      metadata: { name: 'e1' },
      involvedObject: { kind: 'ConfigMap', name: 'x', namespace: 'default' },
      reason: 'Tested',
      message: 'hello',
      type: 'Normal',
    };
    expect(
      (await raw(server, '/api/v1/namespaces/default/events', { method: 'POST', body: event })).status,
    ).toBe(201);
    expect(webhook.received[0]?.request).toMatchObject({
      kind: { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
      requestKind: { group: '', version: 'v1', kind: 'Event' },
      object: { apiVersion: 'events.k8s.io/v1', note: 'hello', regarding: { name: 'x' } },
    });
  });

  it('reach a webhook given as a service through the serviceResolver, checking the service name', async () => {
    await register('Validating', 'service', {
      clientConfig: {
        service: { namespace: 'webhooks', name: 'hook', path: '/by-service' },
        caBundle: webhook.caBundle,
      },
    });
    expect((await createConfigMap('via-service')).status).toBe(201);
    expect(webhook.received[0]?.path).toBe('/by-service?timeout=10s');
  });
});

describe('CONNECT', () => {
  it('sends pods/exec to webhooks with the PodExecOptions, then answers as for a pod without a node', async () => {
    await raw(server, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: { metadata: { name: 'shell' }, spec: { containers: [{ name: 'main', image: 'busybox' }] } },
    });
    await register('Validating', 'exec', {
      rules: [{ operations: ['CONNECT'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/exec'] }],
    });
    answer = (request) =>
      at(request, 'object', 'command', 0) === 'rm'
        ? { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'no rm' } }
        : allow();
    const denied = await raw(
      server,
      '/api/v1/namespaces/default/pods/shell/exec?command=rm&command=-rf&stdout=true',
      {
        method: 'POST',
      },
    );
    expect(denied.status).toBe(403);
    expect(text(denied.json(), 'message')).toBe(
      'admission webhook "exec.kopf.dev" denied the request: no rm',
    );
    expect(webhook.received[0]?.request).toMatchObject({
      kind: { group: '', version: 'v1', kind: 'PodExecOptions' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      subResource: 'exec',
      operation: 'CONNECT',
      name: 'shell',
      object: { kind: 'PodExecOptions', apiVersion: 'v1', stdout: true, command: ['rm', '-rf'] },
    });
    const allowed = await raw(
      server,
      '/api/v1/namespaces/default/pods/shell/exec?command=ls&container=main',
      {
        method: 'POST',
      },
    );
    expect(allowed.status).toBe(400);
    expect(text(allowed.json(), 'message')).toBe('pod shell does not have a host assigned');
    expect(
      (await raw(server, '/api/v1/namespaces/default/pods/ghost/exec?command=ls', { method: 'POST' })).status,
    ).toBe(404);
  });
});

describe('mutating webhooks', () => {
  it('patch objects in order before validation, and IfNeeded ones run again after later changes', async () => {
    await register(
      'Mutating',
      'mutate',
      {
        name: 'first.kopf.dev',
        clientConfig: { url: `${webhook.url}/first`, caBundle: webhook.caBundle },
        reinvocationPolicy: 'IfNeeded',
      },
      { name: 'second.kopf.dev', clientConfig: { url: `${webhook.url}/second`, caBundle: webhook.caBundle } },
    );
    await register('Validating', 'check');
    answer = (request, path) => {
      const labels = (at(request, 'object', 'metadata', 'labels') ?? {}) as Record<string, string>;
      if (path.startsWith('/first')) {
        const seen = labels.second ? 'after-second' : 'first';
        return patchResponse([{ op: 'add', path: '/metadata/labels/first', value: seen }]);
      }
      if (path.startsWith('/second'))
        return patchResponse([{ op: 'add', path: '/metadata/labels/second', value: 'yes' }]);
      return labels.second === 'yes' ? allow() : { allowed: false, status: { message: 'not mutated' } };
    };
    const created = await createConfigMap('mutated', { own: 'x' });
    expect(created.status).toBe(201);
    expect(at(created.json(), 'metadata', 'labels')).toEqual({
      own: 'x',
      first: 'after-second',
      second: 'yes',
    });
    expect(webhook.received.map((call) => call.path.split('?')[0])).toEqual([
      '/first',
      '/second',
      '/first',
      '/check',
    ]);
  });

  it('may not patch a DELETE (500), and an unsupported patch type fails the call', async () => {
    expect((await createConfigMap('kept')).status).toBe(201);
    await register('Mutating', 'on-delete', {
      rules: [{ operations: ['DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    });
    answer = () => patchResponse([{ op: 'add', path: '/metadata/labels', value: {} }]);
    const deleted = await raw(server, `${CM}/kept`, { method: 'DELETE' });
    expect(deleted.status).toBe(500);
    expect(text(deleted.json(), 'message')).toBe(
      'Internal error occurred: admission webhook "on-delete.kopf.dev" attempted to modify the object, which is not supported for this operation',
    );
    expect((await raw(server, `${CM}/kept`)).status).toBe(200);
  });
});
