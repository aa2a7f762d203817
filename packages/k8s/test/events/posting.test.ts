import type { KubernetesObject } from '@kopf/core';
import { countingClient, createObject, EventPoster, listObjects, postEvent } from '@kopf/k8s';
import { describe, expect, it } from 'vitest';
import { createKopfExampleCrd, KOPFEXAMPLES, kopfExample, startCluster } from '../support.js';

const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };

async function eventsAbout(
  client: Parameters<typeof listObjects>[0],
  name: string,
): Promise<KubernetesObject[]> {
  const list = await listObjects(client, EVENTS, { fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

describe('postEvent', () => {
  it("posts Kopf's Event body about the object", async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const involved = await createObject(client, KOPFEXAMPLES, kopfExample('kex-1'));
    const posted = await postEvent(client, {
      involved,
      type: 'Normal',
      reason: 'Success',
      message: "Handler 'create_fn' succeeded.",
    });
    expect(posted).toBe(true);
    const [event] = await eventsAbout(client, 'kex-1');
    expect(event).toMatchObject({
      metadata: { namespace: 'default' },
      type: 'Normal',
      reason: 'Success',
      message: "Handler 'create_fn' succeeded.",
      source: { component: 'kopf' },
      reportingComponent: 'kopf',
      involvedObject: {
        apiVersion: 'kopf.dev/v1',
        kind: 'KopfExample',
        name: 'kex-1',
        uid: involved.metadata?.uid,
      },
    });
    expect(event?.metadata?.name).toMatch(/^kopf-event-/);
  });

  it('logs a failure instead of throwing', async () => {
    const { server, client } = await startCluster({ errorBackoffs: [] });
    const warnings: string[] = [];
    server.faults.failNext({ count: 1, code: 500, verb: 'create', resource: 'events' });
    const posted = await postEvent(
      client,
      { involved: kopfExample('kex-1'), type: 'Warning', reason: 'Oops', message: 'm' },
      { logger: { warning: (message) => warnings.push(message) } },
    );
    expect(posted).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Failed to post an event\. Ignoring and continuing\./);
  });
});

describe('EventPoster', () => {
  it('merges duplicates from a hot loop into one Event with a count', async () => {
    const { client } = await startCluster();
    await createKopfExampleCrd(client);
    const involved = await createObject(client, KOPFEXAMPLES, kopfExample('kex-1'));
    const counting = countingClient(client);
    const poster = new EventPoster(counting, { window: 10 });
    for (let i = 0; i < 200; i++) {
      poster.post({
        involved,
        type: 'Error',
        reason: 'Failed',
        message: 'Handler failed temporarily: not yet',
      });
    }
    poster.post({ involved, type: 'Normal', reason: 'Success', message: 'Handler succeeded.' });
    await poster.close();
    expect(counting.counts()).toEqual({ 'create events': 2 });
    const events = await eventsAbout(client, 'kex-1');
    const failed = events.find((event) => event.reason === 'Failed');
    expect(failed).toMatchObject({ count: 200, type: 'Error' });
    expect(events.find((event) => event.reason === 'Success')).not.toHaveProperty('count');
  });

  it('limits how many distinct Events one object may post', async () => {
    const { client } = await startCluster();
    const counting = countingClient(client);
    const warnings: string[] = [];
    const poster = new EventPoster(counting, {
      burst: 5,
      refill: 3600,
      logger: { warning: (message) => warnings.push(message) },
    });
    const involved = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'default', uid: 'u1' },
    };
    for (let i = 0; i < 50; i++)
      poster.post({ involved, type: 'Normal', reason: 'Tick', message: `tick ${i}` });
    await poster.close();
    expect(counting.counts()).toEqual({ 'create events': 5 });
    expect(warnings).toEqual(['Too many Events about ConfigMap cm; dropping them for a while.']);
  });
});
