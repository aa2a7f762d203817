import type { Resource } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { resourceView } from './resource-views.js';

const CRD = new URL('../../../../examples/crd.yaml', import.meta.url).pathname;
let api: FakeApiServer;
let client: HttpClient;

beforeAll(async () => {
  api = await FakeApiServer.start();
  client = await createApiClient({ connection: { server: api.url, caData: api.caData, token: api.token } });
});

afterAll(async () => {
  client?.close();
  await api?.stop();
});

describe('resourceView', () => {
  it("reads the operator's function, and calls the listener every resync until aborted", async () => {
    const controller = new AbortController();
    const widgets = [{ plural: 'widgets' } as Resource];
    const view = await resourceView({
      client,
      clock: systemClock,
      resources: () => widgets,
      resync: 0.01,
      signal: controller.signal,
    });
    expect(view.resources({ name: 'widgets' })).toBe(widgets);
    let calls = 0;
    await view.follow(async () => {
      calls += 1;
      if (calls === 3) controller.abort();
    }, controller.signal);
    expect(calls).toBe(3);
  });

  it('discovers by itself, and again when a CRD appears', async () => {
    const controller = new AbortController();
    const view = await resourceView({ client, clock: systemClock, resync: 10, signal: controller.signal });
    expect(view.resources({ name: 'configmaps' }).map((resource) => resource.plural)).toEqual(['configmaps']);
    expect(view.resources({ name: 'kopfexamples' })).toEqual([]);
    const following = view.follow(async () => {
      if (view.resources({ name: 'kopfexamples' }).length > 0) controller.abort();
    }, controller.signal);
    await new Cluster(client).apply(CRD);
    await following;
    expect(view.resources({ name: 'kopfexamples' }).map((resource) => resource.version)).toEqual(['v1']);
  });
});
