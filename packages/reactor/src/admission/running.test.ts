import { createServer } from 'node:net';
import {
  type AdmissionServer,
  on,
  Registry,
  type Resource,
  type ResourceSelector,
  type WebhookClientConfig,
} from '@kopf/core';
import { createApiClient, getObject, type HttpClient } from '@kopf/k8s';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink } from '../logging.js';
import { resolveSettings } from '../settings.js';
import { AdmissionConfigurationError, type AdmissionOptions, runAdmission } from './running.js';
import { WebhookServer, WebhookServerError } from './webhook-server.js';

const CRD = new URL('../../../../examples/crd.yaml', import.meta.url).pathname;
const VALIDATING = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  plural: 'validatingwebhookconfigurations',
  namespaced: false,
};

let api: FakeApiServer;
let client: HttpClient;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  api = await FakeApiServer.start();
  client = await createApiClient({ connection: { server: api.url, caData: api.caData, token: api.token } });
});

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

afterAll(async () => {
  client?.close();
  await api?.stop();
});

function options(
  registry: Registry,
  admission: { server?: AdmissionServer; managed?: string },
  extra: Partial<AdmissionOptions> = {},
) {
  const controller = new AbortController();
  const logs = new MemorySink();
  const settings = resolveSettings({ admission: { server: admission.server, managed: admission.managed } });
  return {
    controller,
    logs,
    options: { client, registry, settings, logs, signal: controller.signal, ...extra },
  };
}

/** Starts runAdmission; resolves with its first served config; stops it after the test. */
async function start(
  registry: Registry,
  admission: { server?: AdmissionServer; managed?: string },
  extra: Partial<AdmissionOptions> = {},
) {
  const started = options(registry, admission, extra);
  let serving: (config: WebhookClientConfig) => void = () => {};
  const served = new Promise<WebhookClientConfig>((resolve) => {
    serving = resolve;
  });
  const done = runAdmission({ ...started.options, onServing: serving });
  stops.push(async () => {
    started.controller.abort();
    await done;
  });
  return { ...started, done, config: await served };
}

async function rulesOf(name: string): Promise<unknown[][]> {
  const object = await getObject<{ webhooks?: { rules: unknown[] }[] }>(client, VALIDATING, { name });
  return (object?.webhooks ?? []).map((webhook) => webhook.rules);
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Not in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('runAdmission', () => {
  it('resolves at once when there are neither admission handlers nor a server', async () => {
    const { options: given } = options(new Registry(), {});
    await expect(runAdmission(given)).resolves.toBeUndefined();
  });

  it('refuses admission handlers without a server, naming the one line that fixes it', async () => {
    const registry = new Registry();
    on.validate('kopfexamples', { registry, id: 'check' }, () => {});
    const { options: given } = options(registry, {});
    await expect(runAdmission(given)).rejects.toThrow(AdmissionConfigurationError);
    await expect(runAdmission(given)).rejects.toThrow(
      "Serving the admission handlers 'check' failed: no webhook server is configured. Set one, e.g. " +
        "settings: { admission: { server: new WebhookServer(), managed: 'auto.kopf.dev' } }.",
    );
  });

  it('follows discovery: rules appear once the CRD is served', async () => {
    const registry = new Registry();
    on.validate('kopfexamples', { registry, id: 'check' }, () => {});
    const { logs } = await start(registry, {
      server: new WebhookServer({ addr: '127.0.0.1' }),
      managed: 'discovery.kopf.dev',
    });
    expect(await rulesOf('discovery.kopf.dev')).toEqual([[]]);
    await new Cluster(client).apply(CRD);
    await until(
      async () => (await rulesOf('discovery.kopf.dev'))[0]?.length === 1,
      'the rules of kopfexamples',
    );
    expect(logs.lines('info').join('\n')).toMatch(
      /Serving admission webhooks at https:\/\/127\.0\.0\.1:\d+\./,
    );
  });

  it("re-reads the operator's resources every `resync` seconds", async () => {
    const registry = new Registry();
    on.validate('kopfexamples', { registry, id: 'check' }, () => {});
    let known: Resource[] = [];
    const resources = (_: ResourceSelector): Resource[] => known;
    await start(
      registry,
      { server: new WebhookServer({ addr: '127.0.0.1' }), managed: 'given.kopf.dev' },
      { resources, resync: 0.02 },
    );
    expect(await rulesOf('given.kopf.dev')).toEqual([[]]);
    known = [
      {
        group: 'example.com',
        version: 'v2',
        plural: 'widgets',
        kind: 'Widget',
        singular: 'widget',
        shortNames: [],
        categories: [],
        namespaced: true,
        subresources: [],
        verbs: [],
        preferred: true,
      },
    ];
    await until(async () => (await rulesOf('given.kopf.dev'))[0]?.length === 1, 'the rules of widgets');
    expect((await rulesOf('given.kopf.dev'))[0]).toEqual([
      {
        apiGroups: ['example.com'],
        apiVersions: ['v2'],
        resources: ['widgets'],
        operations: ['*'],
        scope: '*',
      },
    ]);
  });

  it('configures what a custom server (a tunnel) yields, with the handler id in the URL', async () => {
    const registry = new Registry();
    on.validate('kopfexamples', { registry, id: 'check' }, () => {});
    const local = new WebhookServer({ addr: '127.0.0.1', insecure: true });
    const locals: WebhookClientConfig[] = [];
    const tunnel: AdmissionServer = {
      async *serve(handle, { signal }) {
        for await (const config of local.serve(handle, { signal })) {
          locals.push(config);
          yield { url: 'https://abc123.tunnel.example/hooks' };
        }
      },
    };
    await start(registry, { server: tunnel, managed: 'tunnel.kopf.dev' });
    const object = await getObject<{ webhooks: { clientConfig: unknown }[] }>(client, VALIDATING, {
      name: 'tunnel.kopf.dev',
    });
    expect(object?.webhooks[0]?.clientConfig).toEqual({ url: 'https://abc123.tunnel.example/hooks/check' });
    expect(locals).toEqual([{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) }]);
  });

  it('manages nothing when no configuration name is given', async () => {
    const registry = new Registry();
    on.validate('kopfexamples', { registry, id: 'check' }, () => {});
    const before = api.counters.get({ group: 'admissionregistration.k8s.io' });
    await start(registry, { server: new WebhookServer({ addr: '127.0.0.1' }) });
    expect(api.counters.get({ group: 'admissionregistration.k8s.io' })).toBe(before);
  });

  it('fails when the server cannot start, and stops everything it began', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const registry = new Registry();
      on.validate('kopfexamples', { registry, id: 'check' }, () => {});
      const { options: given } = options(registry, {
        server: new WebhookServer({ addr: '127.0.0.1', port }),
      });
      await expect(runAdmission(given)).rejects.toThrow(WebhookServerError);
    } finally {
      blocker.close();
    }
  });
});
