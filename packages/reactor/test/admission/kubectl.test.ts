/**
 * Admission end to end, as a user meets it: validating and mutating handlers served by
 * the operator's own HTTPS webhook server, the webhook configurations managed by the
 * operator, the fake API server calling them (TLS verified against the managed
 * `caBundle`), and kubectl 1.35 applying objects — rejected with the handler's message,
 * mutated, dry-run, warned about, failing handlers and slow ones answered clearly.
 */
import { connect } from 'node:tls';
import {
  AdmissionError,
  type Body,
  type KubernetesObject,
  on,
  PRESENT,
  Registry,
  type WebhookKwargs,
} from '@kopf/core';
import { WebhookServer } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRD, Kubectl, OBJ, type RunningAdmission, startAdmission } from './support.js';

const registry = new Registry();
const seen: { id: string; dryrun: boolean; operation: string | undefined; user: string | undefined }[] = [];
const record = (id: string, kwargs: WebhookKwargs): void => {
  seen.push({ id, dryrun: kwargs.dryrun, operation: kwargs.operation, user: kwargs.userinfo.username });
};

on.validate('kopfexamples', { registry, id: 'check_field' }, (kwargs: WebhookKwargs) => {
  record('check_field', kwargs);
  const field = kwargs.spec.field;
  if (field === 'wrong' && !kwargs.dryrun)
    throw new AdmissionError("Meh! I don't like it. Change the field.");
  if (field === 'forbidden') throw new AdmissionError('Not here, not now.', { code: 403 });
  if (field === 'watched') kwargs.warnings.push('This object is watched closely.');
  if (field === 'crash') throw new TypeError('the crash field cannot be handled');
});
on.validate('kopfexamples', { registry, id: 'slowCheck', persistent: true }, async ({ spec }) => {
  if (spec.field === 'slow') await new Promise(() => {});
});
on.mutate('kopfexamples', { registry, id: 'inject', labels: { somelabel: PRESENT } }, ({ patch }) => {
  patch.spec.injected = 123;
  patch.metadata.labels.mutated = 'yes';
});

let api: FakeApiServer;
let admission: RunningAdmission;
let kubectl: Kubectl;
let cluster: Cluster;

function example(name: string, field: string, labels: Record<string, string> = {}): KubernetesObject {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name, namespace: 'default', labels },
    spec: { field },
  };
}

beforeAll(async () => {
  api = await FakeApiServer.start();
  kubectl = await Kubectl.open(api);
  await kubectl.ok(['apply', '-f', CRD]);
  await kubectl.ok(['wait', '--for=condition=Established', 'crd/kopfexamples.kopf.dev', '--timeout=20s']);
  admission = await startAdmission(api, registry, new WebhookServer({ addr: '127.0.0.1' }), {
    timeoutSeconds: 3,
  });
  cluster = new Cluster(admission.client);
}, 60_000);

afterAll(async () => {
  await admission?.stop();
  await kubectl?.close();
  await api?.stop();
});

describe('admission handlers through kubectl', () => {
  it('reject an invalid object with the handler message, and nothing is stored', async () => {
    const path = await kubectl.manifest('wrong.json', example('wrong-one', 'wrong'));
    const result = await kubectl.run(['apply', '-f', path]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'admission webhook "check-field.auto.kopf.dev" denied the request: Meh! I don\'t like it. Change the field.',
    );
    expect(await cluster.get({ resource: 'kopfexamples', name: 'wrong-one' })).toBeUndefined();
  });

  it("report an AdmissionError's code as kubectl shows it", async () => {
    const path = await kubectl.manifest('forbidden.json', example('forbidden-one', 'forbidden'));
    const result = await kubectl.run(['apply', '-f', path]);
    expect(result.stderr).toMatch(
      /Error from server \(Forbidden\): .*admission webhook "check-field\.auto\.kopf\.dev" denied the request: Not here, not now\./,
    );
  });

  it("store a mutating handler's changes", async () => {
    await kubectl.ok(['apply', '-f', OBJ]);
    const stored = await cluster.get<Body>({ resource: 'kopfexamples', name: 'kopf-example-1' });
    expect(stored?.spec).toMatchObject({ field: 'value', injected: 123 });
    expect(stored?.metadata?.labels).toEqual({ somelabel: 'somevalue', mutated: 'yes' });
  });

  it('leave objects alone that the label filter (objectSelector) excludes', async () => {
    const path = await kubectl.manifest('unlabelled.json', example('unlabelled', 'plain'));
    await kubectl.ok(['apply', '-f', path]);
    const stored = await cluster.get<Body>({ resource: 'kopfexamples', name: 'unlabelled' });
    expect(stored?.spec).toEqual({ field: 'plain' });
  });

  it('pass dry runs through to the handlers, and store nothing', async () => {
    seen.length = 0;
    const path = await kubectl.manifest('dry.json', example('dry-one', 'wrong', { somelabel: 'x' }));
    const result = await kubectl.run(['apply', '--dry-run=server', '-o', 'json', '-f', path]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).spec).toEqual({ field: 'wrong', injected: 123 });
    expect(seen).toContainEqual({
      id: 'check_field',
      dryrun: true,
      operation: 'CREATE',
      user: 'kopf-fake-admin',
    });
    expect(await cluster.get({ resource: 'kopfexamples', name: 'dry-one' })).toBeUndefined();
  });

  it('send the handlers warnings to kubectl', async () => {
    const result = await kubectl.run([
      'patch',
      'kex',
      'kopf-example-1',
      '--type=merge',
      '-p',
      '{"spec":{"field":"watched"}}',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^Warning: This object is watched closely\.$/m);
  });

  it('turn an error in a handler into a rejection that names the handler and the error', async () => {
    const path = await kubectl.manifest('crash.json', example('crash-one', 'crash'));
    const result = await kubectl.run(['apply', '-f', path]);
    expect(result.stderr).toContain(
      "denied the request: Webhook 'check_field' failed with TypeError: the crash field cannot be handled",
    );
    expect(admission.logs.lines('error').join('\n')).toContain(
      "Webhook 'check_field' failed with an exception",
    );
  });

  it('answer before the API server gives up on a slow handler, with a clear message', async () => {
    const path = await kubectl.manifest('slow.json', example('slow-one', 'slow'));
    const result = await kubectl.run(['apply', '-f', path]);
    expect(result.stderr).toContain(
      'admission webhook "slow-check.auto.kopf.dev" denied the request: ' +
        "Webhook 'slowCheck' did not finish within 2.7 seconds, before the API server's timeout",
    );
    expect(await cluster.get({ resource: 'kopfexamples', name: 'slow-one' })).toBeUndefined();
  });

  it('configure the webhooks with a CA bundle that verifies the server (TLS verification on)', async () => {
    const validating = await kubectl.ok([
      'get',
      'validatingwebhookconfiguration',
      'auto.kopf.dev',
      '-o',
      'json',
    ]);
    const webhooks = (JSON.parse(validating) as { webhooks: Record<string, unknown>[] }).webhooks;
    expect(webhooks.map((webhook) => webhook.name)).toEqual([
      'check-field.auto.kopf.dev',
      'slow-check.auto.kopf.dev',
    ]);
    const [first] = webhooks as [
      { clientConfig: { url: string; caBundle: string } } & Record<string, unknown>,
    ];
    expect(first).toMatchObject({
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      sideEffects: 'None',
      timeoutSeconds: 3,
      admissionReviewVersions: ['v1', 'v1beta1'],
      rules: [
        {
          apiGroups: ['kopf.dev'],
          apiVersions: ['v1'],
          resources: ['kopfexamples'],
          operations: ['*'],
          scope: '*',
        },
      ],
    });
    const url = new URL(first.clientConfig.url);
    expect(url.pathname).toBe('/check_field');
    const ca = Buffer.from(first.clientConfig.caBundle, 'base64').toString('utf8');
    const authorized = await new Promise<boolean>((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port), ca }, () => {
        resolve(socket.authorized);
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(authorized).toBe(true);
    const mutating = JSON.parse(
      await kubectl.ok(['get', 'mutatingwebhookconfiguration', 'auto.kopf.dev', '-o', 'json']),
    );
    expect(mutating.webhooks).toEqual([
      expect.objectContaining({
        name: 'inject.auto.kopf.dev',
        objectSelector: { matchExpressions: [{ key: 'somelabel', operator: 'Exists' }] },
      }),
    ]);
  });

  it('leave only the persistent entries when the operator stops', async () => {
    await admission.stop();
    const validating = JSON.parse(
      await kubectl.ok(['get', 'validatingwebhookconfiguration', 'auto.kopf.dev', '-o', 'json']),
    );
    expect(validating.webhooks.map((webhook: { name: string }) => webhook.name)).toEqual([
      'slow-check.auto.kopf.dev',
    ]);
    const mutating = JSON.parse(
      await kubectl.ok(['get', 'mutatingwebhookconfiguration', 'auto.kopf.dev', '-o', 'json']),
    );
    expect(mutating.webhooks ?? []).toEqual([]);
  });
});
