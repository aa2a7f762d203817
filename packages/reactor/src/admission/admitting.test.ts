import {
  AdmissionError,
  type ApiClient,
  type Body,
  on,
  Registry,
  type Resource,
  type ResourceSelector,
  type WebhookKwargs,
} from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { MemorySink } from '../logging.js';
import { resolveSettings } from '../settings.js';
import { type AdmissionContext, admit } from './admitting.js';
import { AdmissionRequestError } from './reviews.js';

const kex: Resource = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  kind: 'KopfExample',
  singular: 'kopfexample',
  shortNames: ['kex'],
  categories: [],
  namespaced: true,
  subresources: ['status'],
  verbs: ['get', 'list', 'watch', 'patch'],
  preferred: true,
};
const resources = (selector: ResourceSelector): Resource[] => (selector.name === 'kopfexamples' ? [kex] : []);

function contextOf(
  registry: Registry,
  extra: Partial<AdmissionContext> = {},
): AdmissionContext & { logs: MemorySink } {
  const logs = new MemorySink();
  return { registry, settings: resolveSettings(), clock: systemClock, resources, ...extra, logs };
}

const old: Body = {
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: { name: 'x', namespace: 'ns', uid: 'u' },
  spec: { a: 1 },
};
const fresh: Body = { ...old, spec: { a: 2 } };

function review(request: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-7',
      resource: { group: 'kopf.dev', version: 'v1', resource: 'kopfexamples' },
      operation: 'UPDATE',
      userInfo: { username: 'alice' },
      object: fresh,
      oldObject: old,
      dryRun: false,
      ...request,
    },
  };
}

const http = { webhook: undefined, headers: { 'user-agent': 'kube-apiserver' } };

describe('admit', () => {
  it('gives handlers the webhook kwargs', async () => {
    const registry = new Registry();
    let seen: WebhookKwargs | undefined;
    on.validate('kopfexamples', { registry, id: 'look', param: 'p' }, (kwargs) => {
      seen = kwargs;
    });
    const client = { request: async () => undefined } as unknown as ApiClient;
    const sslpeer = { subject: { CN: 'apiserver' } };
    await admit(
      review({ subResource: 'status', dryRun: true }),
      { ...http, sslpeer },
      contextOf(registry, { client }),
    );
    expect(seen).toBeUndefined();
    on.validate('kopfexamples', { registry, id: 'status', subresource: 'status' }, (kwargs) => {
      seen = kwargs;
    });
    await admit(
      review({ subResource: 'status', dryRun: true }),
      { ...http, sslpeer },
      contextOf(registry, { client }),
    );
    expect(seen).toMatchObject({
      body: fresh,
      old,
      new: fresh,
      diff: [{ operation: 'change', field: ['spec', 'a'], old: 1, new: 2 }],
      userinfo: { username: 'alice' },
      dryrun: true,
      operation: 'UPDATE',
      subresource: 'status',
      headers: { 'user-agent': 'kube-apiserver' },
      sslpeer,
      resource: kex,
      name: 'x',
      namespace: 'ns',
      spec: { a: 2 },
      warnings: [],
      client,
    });
  });

  it('runs the handler the URL names, or all of them; mutating ones not on DELETE unless asked', async () => {
    const registry = new Registry();
    const ran: string[] = [];
    on.validate('kopfexamples', { registry, id: 'one' }, () => void ran.push('one'));
    on.validate('kopfexamples', { registry, id: 'two', operations: ['CREATE'] }, () => void ran.push('two'));
    on.mutate('kopfexamples', { registry, id: 'fill' }, () => void ran.push('fill'));
    on.mutate(
      'kopfexamples',
      { registry, id: 'onDelete', operations: ['DELETE'] },
      () => void ran.push('onDelete'),
    );
    await admit(review(), { ...http, webhook: 'one' }, contextOf(registry));
    expect(ran).toEqual(['one']);
    ran.length = 0;
    await admit(review(), http, contextOf(registry));
    expect(ran).toEqual(['one', 'fill']);
    ran.length = 0;
    await admit(review({ operation: 'DELETE', object: null }), http, contextOf(registry));
    expect(ran).toEqual(['one', 'onDelete']);
  });

  it('answers with the JSON patch of mutating handlers and their warnings', async () => {
    const registry = new Registry();
    on.mutate('kopfexamples', { registry, id: 'fill' }, ({ patch, warnings }) => {
      patch.spec.b = 'filled';
      warnings.push('b was filled in');
    });
    const answer = await admit(review(), http, contextOf(registry));
    expect(answer.response).toMatchObject({
      uid: 'uid-7',
      allowed: true,
      warnings: ['b was filled in'],
      patchType: 'JSONPatch',
    });
    expect(JSON.parse(Buffer.from(answer.response.patch ?? '', 'base64').toString('utf8'))).toEqual([
      { op: 'add', path: '/spec/b', value: 'filled' },
    ]);
  });

  it('denies with the failure, and runs the other handlers all the same (errors are permanent)', async () => {
    const registry = new Registry();
    const ran: string[] = [];
    on.mutate('kopfexamples', { registry, id: 'fill' }, ({ patch }) => {
      patch.spec.b = 1;
    });
    on.validate('kopfexamples', { registry, id: 'broken' }, () => {
      ran.push('broken');
      throw new Error('oops');
    });
    on.validate('kopfexamples', { registry, id: 'strict' }, () => {
      ran.push('strict');
      throw new AdmissionError('a must stay 1', { code: 422 });
    });
    const context = contextOf(registry);
    const answer = await admit(review(), http, context);
    expect(ran).toEqual(['broken', 'strict']);
    expect(answer.response).toEqual({
      uid: 'uid-7',
      allowed: false,
      status: { code: 422, message: 'a must stay 1', reason: 'Invalid' },
    });
    expect(context.logs.lines('error').join('\n')).toContain(
      "[ns/x] Webhook 'broken' failed with an exception and will stop now: oops",
    );
  });

  it('gives a fresh copy of the operator memo on CREATE, and the object memo otherwise', async () => {
    const registry = new Registry();
    const memos: unknown[] = [];
    on.validate('kopfexamples', { registry, id: 'remember' }, ({ memo }) => {
      memos.push(memo);
      (memo as Record<string, unknown>).touched = true;
    });
    const operatorMemo = { shared: 1 };
    const objectMemo = { mine: true };
    const context = contextOf(registry, { memo: operatorMemo, recallMemo: () => objectMemo });
    await admit(review({ operation: 'CREATE', oldObject: null }), http, context);
    await admit(review(), http, context);
    expect(memos[0]).toEqual({ shared: 1, touched: true });
    expect(operatorMemo).toEqual({ shared: 1 });
    expect(memos[1]).toBe(objectMemo);
  });

  it('refuses resources that no admission handler serves with 404', async () => {
    const registry = new Registry();
    on.validate('kopfexamples', { registry, id: 'one' }, () => {});
    on.create('pods', { registry, id: 'not-admission' }, () => {});
    const failure = await admit(
      review({ resource: { group: '', version: 'v1', resource: 'pods' } }),
      http,
      contextOf(registry),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdmissionRequestError);
    expect((failure as AdmissionRequestError).status).toBe(404);
    expect((failure as Error).message).toMatch(
      /no admission handler serves pods\.v1; check the webhook configuration rules/,
    );
  });

  it('denies with 504 when a handler is still running shortly before the deadline; later ones do not run', async () => {
    const registry = new Registry();
    const ran: string[] = [];
    on.validate('kopfexamples', { registry, id: 'stuck' }, () => new Promise(() => {}));
    on.validate('kopfexamples', { registry, id: 'after' }, () => void ran.push('after'));
    const context = contextOf(registry);
    const answer = await admit(review(), { ...http, timeout: 0.5 }, context);
    expect(answer.response).toEqual({
      uid: 'uid-7',
      allowed: false,
      status: {
        code: 504,
        reason: 'Timeout',
        message:
          "Webhook 'stuck' did not finish within 0.45 seconds, before the API server's timeout; " +
          'make it faster, or let such requests through with { ignoreFailures: true }.',
      },
    });
    expect(ran).toEqual([]);
    expect(context.logs.lines('error').join('\n')).toContain(
      "Webhook 'stuck' did not finish within 0.45 seconds",
    );
  });

  it('lets the request through with a warning when the slow handlers ignore failures', async () => {
    const registry = new Registry();
    on.validate('kopfexamples', { registry, id: 'stuck', ignoreFailures: true }, () => new Promise(() => {}));
    const answer = await admit(review(), http, contextOf(registry, { timeout: 0.3 }));
    expect(answer.response).toEqual({
      uid: 'uid-7',
      allowed: true,
      warnings: [
        "Webhook 'stuck' did not finish within 0.27 seconds; the request is let through (ignoreFailures).",
      ],
    });
  });
});
