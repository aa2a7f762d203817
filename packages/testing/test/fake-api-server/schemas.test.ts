/**
 * Custom resources and their structural schema over HTTP: pruning of unknown fields with
 * `fieldValidation` Strict (400 on bodies, 422 on patches), Warn (the default: Warning
 * headers) and Ignore; defaults; 422 Invalid for schema violations with the real wording;
 * `/status` writes; server-side apply's typed conversion; ratcheting after a schema change;
 * and the order mutating webhooks → pruning/defaulting/validation → validating webhooks.
 */
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
let answer: (request: Json, path: string) => WebhookAnswer = allow;

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/schemas.kopf.dev/v1/namespaces/default/widgets';
const MUTATING = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const VALIDATING = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';

function widgetCrd(maxReplicas: number): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.schemas.kopf.dev' },
    spec: {
      group: 'schemas.kopf.dev',
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  default: {},
                  properties: {
                    replicas: { type: 'integer', minimum: 1, maximum: maxReplicas, default: 1 },
                    mode: { type: 'string', enum: ['fast', 'slow'] },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
                status: { type: 'object', properties: { phase: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  };
}

const widget = (name: string, spec: Json = {}): Json => ({
  apiVersion: 'schemas.kopf.dev/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
});

const post = (body: Json, query = '') => raw(server, `${WIDGETS}${query}`, { method: 'POST', body });
const patch = (path: string, body: unknown, type = 'application/merge-patch+json') =>
  raw(server, path, { method: 'PATCH', body: JSON.stringify(body), headers: { 'Content-Type': type } });

beforeAll(async () => {
  webhook = await startWebhook((request, path) => answer(request, path));
  server = await FakeApiServer.start();
  expect((await raw(server, CRDS, { method: 'POST', body: widgetCrd(10) })).status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await webhook?.stop();
});

afterEach(() => {
  answer = allow;
  webhook.received.length = 0;
});

describe('unknown fields', () => {
  it('are refused with fieldValidation=Strict as a decode error (400)', async () => {
    const response = await post(widget('strict', { replicas: 2, foo: 1 }), '?fieldValidation=Strict');
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.foo"',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('are pruned with a Warning header by default, silently with Ignore; preserved where the schema says', async () => {
    const warned = await post(widget('warned', { foo: 1, extra: { free: { form: true } } }));
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(warned.json().spec).toEqual({ replicas: 1, extra: { free: { form: true } } });
    const ignored = await post(widget('ignored', { foo: 1 }), '?fieldValidation=Ignore');
    expect(ignored.status).toBe(201);
    expect(ignored.headers.warning).toBeUndefined();
    expect(ignored.json().spec).toEqual({ replicas: 1 });
    const empty = await post(widget('empty', { foo: 1 }), '?fieldValidation=');
    expect(empty.status).toBe(201);
    expect(empty.headers.warning).toBe('299 - "unknown field \\"spec.foo\\""');
  });

  it('refuse an unknown fieldValidation value, naming the supported ones', async () => {
    const response = await post(widget('odd', {}), '?fieldValidation=Loud');
    expect(response.status).toBe(400);
    expect(response.json().message).toBe(
      'fieldValidation: Unsupported value: "Loud": supported values: "Ignore", "Strict", "Warn"',
    );
  });

  it('in a PUT are a 400, in a merge patch a 422 naming the patched object', async () => {
    const created = (await post(widget('updated'))).json();
    const put = await raw(server, `${WIDGETS}/updated?fieldValidation=Strict`, {
      method: 'PUT',
      body: { ...created, spec: { foo: 1 } },
    });
    expect(put.status).toBe(400);
    expect(text(put.json(), 'message')).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.foo"',
    );
    const patched = await patch(`${WIDGETS}/updated?fieldValidation=Strict`, { spec: { bar: 2 } });
    expect(patched.status).toBe(422);
    const status = patched.json();
    expect(status).toMatchObject({ reason: 'Invalid', code: 422, details: { causes: [{ field: 'patch' }] } });
    expect(text(status, 'message')).toMatch(
      /^ "" is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"schemas\.kopf\.dev\/v1\\",\\"kind\\":\\"Widget\\",.*\\"spec\\":\{\\"bar\\":2,\\"replicas\\":1\}\}": strict decoding error: unknown field "spec\.bar"$/,
    );
    const warned = await patch(`${WIDGETS}/updated`, { spec: { bar: 2, replicas: 3 } });
    expect(warned.status).toBe(200);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.bar\\""');
    expect(warned.json().spec).toEqual({ replicas: 3 });
  });

  it('in /status writes are pruned too; the status is validated by its own schema', async () => {
    await post(widget('status'));
    const response = await patch(`${WIDGETS}/status/status`, { status: { phase: 'Ready', bogus: true } });
    expect(response.status).toBe(200);
    expect(response.headers.warning).toBe('299 - "unknown field \\"status.bogus\\""');
    expect(response.json().status).toEqual({ phase: 'Ready' });
    const invalid = await patch(`${WIDGETS}/status/status`, { status: { phase: 7 } });
    expect(invalid.status).toBe(422);
    expect(text(invalid.json(), 'message')).toBe(
      'Widget.schemas.kopf.dev "status" is invalid: status.phase: Invalid value: "integer": ' +
        'phase in body must be of type string: "integer"',
    );
  });

  it('fail server-side apply in its typed conversion, whatever fieldValidation says', async () => {
    const applied = await patch(
      `${WIDGETS}/applied?fieldManager=test&fieldValidation=Ignore`,
      { ...widget('applied', { foo: 1 }), metadata: { name: 'applied', namespace: 'default' } },
      'application/apply-patch+yaml',
    );
    expect(applied.status).toBe(500);
    expect(text(applied.json(), 'message')).toBe(
      'failed to create typed patch object (default/applied; schemas.kopf.dev/v1, Kind=Widget): ' +
        '.spec.foo: field not declared in schema',
    );
  });
});

describe('defaults and validation', () => {
  it('apply defaults on create, down from a defaulted parent', async () => {
    const { spec, ...bare } = widget('defaulted');
    const created = await post(bare);
    expect(created.json().spec).toEqual({ replicas: 1 });
  });

  it('refuse schema violations with 422 Invalid and one cause per error', async () => {
    const response = await post(widget('invalid', { replicas: 'two', mode: 'medium' }));
    expect(response.status).toBe(422);
    expect(response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Widget.schemas.kopf.dev "invalid" is invalid: [spec.replicas: Invalid value: "string": ' +
        'spec.replicas in body must be of type integer: "string", spec.mode: Unsupported value: "medium": ' +
        'supported values: "fast", "slow"]',
      reason: 'Invalid',
      details: {
        name: 'invalid',
        group: 'schemas.kopf.dev',
        kind: 'Widget',
        causes: [
          {
            reason: 'FieldValueTypeInvalid',
            message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
            field: 'spec.replicas',
          },
          {
            reason: 'FieldValueNotSupported',
            message: 'Unsupported value: "medium": supported values: "fast", "slow"',
            field: 'spec.mode',
          },
        ],
      },
      code: 422,
    });
  });

  it('send the unknown-field warnings with a refusal too', async () => {
    const response = await post(widget('warned-invalid', { foo: 1, replicas: 0 }));
    expect(response.status).toBe(422);
    expect(response.headers.warning).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(text(response.json(), 'message')).toBe(
      'Widget.schemas.kopf.dev "warned-invalid" is invalid: spec.replicas: Invalid value: 0: ' +
        'spec.replicas in body should be greater than or equal to 1',
    );
  });

  it('let an update keep a value a stricter schema now refuses, but not change it (ratcheting)', async () => {
    await post(widget('ratchet', { replicas: 8 }));
    const crd = (await raw(server, `${CRDS}/widgets.schemas.kopf.dev`)).json();
    const stricter = { ...widgetCrd(5), metadata: at(crd, 'metadata') };
    expect(
      (await raw(server, `${CRDS}/widgets.schemas.kopf.dev`, { method: 'PUT', body: stricter })).status,
    ).toBe(200);
    try {
      expect((await patch(`${WIDGETS}/ratchet`, { metadata: { labels: { a: 'b' } } })).status).toBe(200);
      const changed = await patch(`${WIDGETS}/ratchet`, { spec: { replicas: 7 } });
      expect(changed.status).toBe(422);
      expect(text(changed.json(), 'message')).toBe(
        'Widget.schemas.kopf.dev "ratchet" is invalid: spec.replicas: Invalid value: 7: ' +
          'spec.replicas in body should be less than or equal to 5',
      );
    } finally {
      const current = (await raw(server, `${CRDS}/widgets.schemas.kopf.dev`)).json();
      await raw(server, `${CRDS}/widgets.schemas.kopf.dev`, {
        method: 'PUT',
        body: { ...widgetCrd(10), metadata: at(current, 'metadata') },
      });
    }
  });
});

describe('with admission webhooks', () => {
  const rules = [
    { operations: ['CREATE'], apiGroups: ['schemas.kopf.dev'], apiVersions: ['v1'], resources: ['widgets'] },
  ];
  const configuration = (kind: 'Mutating' | 'Validating', name: string): Json => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: `${kind}WebhookConfiguration`,
    metadata: { name },
    webhooks: [
      {
        name: `${name}.kopf.dev`,
        clientConfig: { url: `${webhook.url}/${name}`, caBundle: webhook.caBundle },
        rules,
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  });

  beforeAll(async () => {
    expect(
      (await raw(server, MUTATING, { method: 'POST', body: configuration('Mutating', 'mutate') })).status,
    ).toBe(201);
    expect(
      (await raw(server, VALIDATING, { method: 'POST', body: configuration('Validating', 'validate') }))
        .status,
    ).toBe(201);
  });

  afterAll(async () => {
    await raw(server, `${MUTATING}/mutate`, { method: 'DELETE' });
    await raw(server, `${VALIDATING}/validate`, { method: 'DELETE' });
  });

  it('prune and default what mutating webhooks return before validating webhooks see it', async () => {
    answer = (_request, path) =>
      path.startsWith('/mutate')
        ? patchResponse([
            { op: 'add', path: '/spec/injected', value: true },
            { op: 'remove', path: '/spec/replicas' },
          ])
        : allow();
    const response = await post(widget('mutated', { replicas: 4 }));
    expect(response.status).toBe(201);
    expect(response.json().spec).toEqual({ replicas: 1 });
    const mutated = webhook.received.find((call) => call.path.startsWith('/mutate'));
    expect(at(mutated?.request, 'object', 'spec')).toEqual({ replicas: 4 });
    const validated = webhook.received.find((call) => call.path.startsWith('/validate'));
    expect(at(validated?.request, 'object', 'spec')).toEqual({ replicas: 1 });
  });

  it('validate the mutated object against the schema before calling validating webhooks', async () => {
    answer = (_request, path) =>
      path.startsWith('/mutate')
        ? patchResponse([{ op: 'replace', path: '/spec/replicas', value: 99 }])
        : allow();
    const response = await post(widget('overmutated', { replicas: 4 }));
    expect(response.status).toBe(422);
    expect(text(response.json(), 'message')).toBe(
      'Widget.schemas.kopf.dev "overmutated" is invalid: spec.replicas: Invalid value: 99: ' +
        'spec.replicas in body should be less than or equal to 10',
    );
    expect(webhook.received.map((call) => call.path.split('?')[0])).toEqual(['/mutate']);
  });
});
