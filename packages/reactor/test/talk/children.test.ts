import { adopt, type Body, label, on, PRESENT, Registry } from '@kopf/core';
import { createObject, patchObject } from '@kopf/k8s';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from './support.js';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' };
const KOPFEXAMPLES = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  namespaced: true,
  subresources: ['status'],
};

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('cross-resource relations of the talk', () => {
  it('creates an adopted, labelled child, and an event handler on its pods reports to the parent', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, async function create_fn({ client, name }) {
      const pod: Body = {
        apiVersion: 'v1',
        kind: 'Pod',
        spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }] },
      };
      adopt(pod);
      label(pod, { 'parent-name': name ?? '' });
      const child = await createObject(client, PODS, pod);
      return { children: [child.metadata?.uid] };
    });
    on.event(
      'pods',
      { registry, labels: { 'parent-name': PRESENT } },
      async function child_event({ client, event, labels, namespace }) {
        const parent = { name: labels['parent-name'] ?? '', namespace };
        const status = { children: { [event.object.metadata?.name ?? '']: event.type ?? 'LISTED' } };
        await patchObject(client, KOPFEXAMPLES, parent, { status }, { type: 'merge' });
      },
    );
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);

    const parent = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.children !== undefined);
    const [podName] = Object.keys(parent?.status?.children as object);
    const pod = await run.cluster.get<Body>({ resource: 'pods', name: podName ?? '' });
    expect(pod?.metadata).toMatchObject({
      namespace: 'default',
      generateName: 'kopf-example-1-',
      labels: { somelabel: 'somevalue', 'parent-name': 'kopf-example-1' },
      ownerReferences: [
        {
          apiVersion: 'kopf.dev/v1',
          kind: 'KopfExample',
          name: 'kopf-example-1',
          uid: parent?.metadata?.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(parent?.status?.create_fn).toEqual({ children: [pod?.metadata?.uid] });
  });
});
