/**
 * Admission webhooks written in the test (plain Node HTTPS with their own CA) behind the fake
 * API server, driven by every kubectl 1.27–1.35 (npm) and the ones on PATH: kubectl applies the
 * webhook configurations, then objects that a mutating webhook labels, that a validating
 * webhook denies (kubectl prints the denial), and that draw a warning (kubectl prints it).
 */

import { fileURLToPath } from 'node:url';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinaries } from '../support/kubectl.js';
import { patchResponse, startWebhook, type TestWebhook } from '../support/webhook-server.js';
import { KubectlSession } from './session.js';

const CRD = fileURLToPath(new URL('../../../../examples/crd.yaml', import.meta.url));
const OBJ = fileURLToPath(new URL('../../../../examples/obj.yaml', import.meta.url));

const binaries = await kubectlBinaries();

function configurations(webhook: TestWebhook): string {
  const rules = (operations: string[]): unknown[] => [
    {
      operations,
      apiGroups: ['kopf.dev', ''],
      apiVersions: ['v1'],
      resources: ['kopfexamples', 'configmaps'],
    },
  ];
  const entry = (name: string, path: string, operations: string[]): unknown => ({
    name,
    clientConfig: { url: `${webhook.url}${path}`, caBundle: webhook.caBundle },
    rules: rules(operations),
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
  });
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'labeller' },
        webhooks: [entry('labeller.kopf.dev', '/mutate', ['CREATE'])],
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'guard' },
        webhooks: [entry('guard.kopf.dev', '/validate', ['CREATE', 'UPDATE'])],
      },
    ],
  });
}

describe.each(binaries.map((binary) => [`${binary.version} (${binary.name})`, binary] as const))(
  'kubectl %s with admission webhooks',
  (_, binary) => {
    let server: FakeApiServer;
    let kubectl: KubectlSession;
    let webhook: TestWebhook;

    beforeAll(async () => {
      webhook = await startWebhook((request, path) => {
        const metadata = (request.object ?? {}) as { metadata?: { labels?: Record<string, string> } };
        const labels = metadata.metadata?.labels ?? {};
        if (path.startsWith('/mutate')) {
          return patchResponse([{ op: 'add', path: '/metadata/labels/mutated', value: 'by-webhook' }]);
        }
        if (labels.forbidden === 'yes')
          return {
            allowed: false,
            status: { code: 403, reason: 'Forbidden', message: 'forbidden objects are not welcome' },
          };
        return labels.warn === 'yes'
          ? { allowed: true, warnings: ['this object is watched'] }
          : { allowed: true };
      });
      server = await FakeApiServer.start();
      kubectl = await KubectlSession.open(binary, server);
      await kubectl.ok(['apply', '-f', CRD]);
      await kubectl.ok(['wait', '--for=condition=Established', 'crd/kopfexamples.kopf.dev', '--timeout=20s']);
      await kubectl.ok(['apply', '-f', '-'], configurations(webhook));
    });

    afterAll(async () => {
      await kubectl?.close();
      await server?.stop();
      await webhook?.stop();
    });

    it('lists the webhook configurations', async () => {
      expect(await kubectl.ok(['get', 'validatingwebhookconfigurations'])).toMatch(/^guard\s+1\s+\S+$/m);
      expect(await kubectl.ok(['get', 'mutatingwebhookconfigurations'])).toMatch(/^labeller\s+1\s+\S+$/m);
    });

    it('a mutating webhook labels what kubectl applies', async () => {
      await kubectl.ok(['apply', '-f', OBJ]);
      expect(
        await kubectl.ok(['get', 'kopfexamples', 'kopf-example-1', '-o', 'jsonpath={.metadata.labels}']),
      ).toBe('{"mutated":"by-webhook","somelabel":"somevalue"}');
    });

    it('a validating webhook denies, and kubectl prints the denial', async () => {
      const manifest = JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'unwelcome', namespace: 'default', labels: { forbidden: 'yes' } },
      });
      const denied = await kubectl.run(['apply', '-f', '-'], manifest);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(
        /Error from server \(Forbidden\): error when creating "STDIN": admission webhook "guard\.kopf\.dev" denied the request: forbidden objects are not welcome/,
      );
      const gone = await kubectl.run(['get', 'configmap', 'unwelcome']);
      expect(gone.stderr).toMatch(/configmaps "unwelcome" not found/);
    });

    it('kubectl prints the warnings of a webhook', async () => {
      const result = await kubectl.run(['label', 'kopfexamples', 'kopf-example-1', 'warn=yes']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^Warning: this object is watched$/m);
    });
  },
);
