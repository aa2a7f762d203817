import { ABSENT, on, PRESENT, Registry, type Resource, type ResourceSelector } from '@kopf/core';
import { createApiClient, getObject, type HttpClient } from '@kopf/k8s';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../loggers.js';
import { MemorySink } from '../logging.js';
import {
  buildWebhookEntries,
  clientConfigFor,
  ManagedConfigurations,
  WebhookConfigurationError,
  webhookEntryName,
} from './configurations.js';

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
const clientConfig = { url: 'https://localhost:9443/hooks/', caBundle: 'Q0E=' };

describe('webhookEntryName', () => {
  it.each([
    ['check_fn', 'check-fn.auto.kopf.dev'],
    ['parent/child_fn', 'parent.child-fn.auto.kopf.dev'],
    ['checkSpec', 'check-spec.auto.kopf.dev'],
    ['validate2', 'validate2.auto.kopf.dev'],
    ['fn:with spaces', 'fn3awith20spaces.auto.kopf.dev'],
  ])("names %s as Kubernetes accepts it: '%s'", (id, name) => {
    expect(webhookEntryName(id, 'auto.kopf.dev')).toBe(name);
  });
});

describe('clientConfigFor', () => {
  it('appends the handler id to the URL', () => {
    expect(clientConfigFor(clientConfig, 'a/b c')).toEqual({
      url: 'https://localhost:9443/hooks/a/b%20c',
      caBundle: 'Q0E=',
    });
  });

  it('appends it to the service path', () => {
    const service = { service: { namespace: 'ops', name: 'operator', port: 443 } };
    expect(clientConfigFor(service, 'check')).toEqual({
      service: { namespace: 'ops', name: 'operator', port: 443, path: '/check' },
    });
  });
});

describe('buildWebhookEntries', () => {
  const registry = new Registry();
  on.validate('kopfexamples', { registry, id: 'plain' }, () => {});
  on.validate(
    'kopfexamples',
    {
      registry,
      id: 'tuned',
      operations: ['CREATE', 'UPDATE'],
      subresource: 'status',
      persistent: true,
      sideEffects: true,
      ignoreFailures: true,
      labels: { app: 'web', tier: PRESENT, legacy: ABSENT, dynamic: () => true },
    },
    () => {},
  );
  on.validate('unknowns', { registry, id: 'nowhere' }, () => {});
  const handlers = registry.ofKind('validate');

  it("makes one entry per handler by Kopf's conventions", () => {
    const [plain, tuned, nowhere] = buildWebhookEntries(handlers, {
      resources,
      managed: 'auto.kopf.dev',
      clientConfig,
    });
    expect(plain).toEqual({
      name: 'plain.auto.kopf.dev',
      sideEffects: 'None',
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      rules: [
        {
          apiGroups: ['kopf.dev'],
          apiVersions: ['v1'],
          resources: ['kopfexamples'],
          operations: ['*'],
          scope: '*',
        },
      ],
      clientConfig: { url: 'https://localhost:9443/hooks/plain', caBundle: 'Q0E=' },
      timeoutSeconds: 30,
      admissionReviewVersions: ['v1', 'v1beta1'],
    });
    expect(tuned).toMatchObject({
      sideEffects: 'NoneOnDryRun',
      failurePolicy: 'Ignore',
      rules: [{ resources: ['kopfexamples/status'], operations: ['CREATE', 'UPDATE'] }],
      objectSelector: {
        matchExpressions: [
          { key: 'app', operator: 'In', values: ['web'] },
          { key: 'tier', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
    });
    expect(nowhere?.rules).toEqual([]);
  });

  it('keeps only the persistent ones for cleanup, with the given timeout', () => {
    const entries = buildWebhookEntries(handlers, {
      resources,
      managed: 'auto.kopf.dev',
      clientConfig,
      persistentOnly: true,
      timeoutSeconds: 5,
    });
    expect(entries.map((entry) => [entry.name, entry.timeoutSeconds])).toEqual([['tuned.auto.kopf.dev', 5]]);
  });
});

describe('ManagedConfigurations', () => {
  let server: FakeApiServer;
  let client: HttpClient;
  const registry = new Registry();
  on.validate('kopfexamples', { registry, id: 'guard', persistent: true }, () => {});
  on.validate('kopfexamples', { registry, id: 'check' }, () => {});
  on.mutate('kopfexamples', { registry, id: 'fill' }, () => {});
  const validating = {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingwebhookconfigurations',
    namespaced: false,
  };
  const mutating = { ...validating, plural: 'mutatingwebhookconfigurations' };
  const names = async (resource: typeof validating, name = 'auto.kopf.dev'): Promise<string[]> => {
    const object = await getObject<{ webhooks?: { name: string }[] }>(client, resource, { name });
    return (object?.webhooks ?? []).map((webhook) => webhook.name);
  };

  beforeAll(async () => {
    server = await FakeApiServer.start();
    client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
    });
  });

  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  function managed(name: string, sink = new MemorySink()): ManagedConfigurations {
    return new ManagedConfigurations({
      client,
      registry,
      managed: name,
      resources,
      logger: createLogger({ sink, name: 'kopf.admission' }),
    });
  }

  it('creates both configurations (once), fills them, and patches only on changes', async () => {
    const configurations = managed('auto.kopf.dev');
    await configurations.ensure();
    await configurations.ensure();
    expect(await names(validating)).toEqual([]);
    await configurations.reconcile(clientConfig);
    expect(await names(validating)).toEqual(['guard.auto.kopf.dev', 'check.auto.kopf.dev']);
    expect(await names(mutating)).toEqual(['fill.auto.kopf.dev']);
    const patches = (): number =>
      server.counters.get({ verb: 'patch', group: 'admissionregistration.k8s.io' });
    const before = patches();
    await configurations.reconcile(clientConfig);
    expect(patches()).toBe(before);
    await configurations.reconcile({ ...clientConfig, url: 'https://localhost:9444' });
    expect(patches()).toBe(before + 2);
  });

  it('leaves only the persistent entries on cleanup', async () => {
    const configurations = managed('cleanup.kopf.dev');
    await configurations.ensure();
    await configurations.reconcile(clientConfig);
    await configurations.cleanup(clientConfig);
    expect(await names(validating, 'cleanup.kopf.dev')).toEqual(['guard.cleanup.kopf.dev']);
    expect(await names(mutating, 'cleanup.kopf.dev')).toEqual([]);
  });

  it('creates a configuration again when it was deleted meanwhile', async () => {
    const sink = new MemorySink();
    const configurations = managed('again.kopf.dev', sink);
    await configurations.ensure();
    await client.request({
      method: 'DELETE',
      path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/again.kopf.dev',
    });
    await configurations.reconcile(clientConfig);
    expect(await names(validating, 'again.kopf.dev')).toEqual([
      'guard.again.kopf.dev',
      'check.again.kopf.dev',
    ]);
    expect(sink.lines('warning').join('\n')).toContain('is gone; creating it again');
  });

  it('fails with the RBAC it needs when it may not create them', async () => {
    const guarded = await FakeApiServer.start({ rbac: true, users: { 'op-token': 'operator' } });
    const limited = await createApiClient({
      connection: { server: guarded.url, caData: guarded.caData, token: 'op-token' },
    });
    try {
      const configurations = new ManagedConfigurations({
        client: limited,
        registry,
        managed: 'auto.kopf.dev',
        resources,
        logger: createLogger({ sink: new MemorySink() }),
      });
      const failure = await configurations.ensure().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WebhookConfigurationError);
      expect((failure as Error).message).toMatch(
        /^Managing the webhook configuration auto\.kopf\.dev failed while creating the ValidatingWebhookConfiguration: .*Grant the operator create and patch/,
      );
    } finally {
      limited.close();
      await guarded.stop();
    }
  });
});
