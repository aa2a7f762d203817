/**
 * Children (Kopf's example 02 and the talk's cross-resource relations): the create
 * handler renders a Pod, adopts it (owner reference, name, namespace, labels) and
 * creates it with the operator's own client; the Pod is then deleted with its owner.
 */
import { adopt, type Body, on } from '@kopf/core';
import { createObject } from '@kopf/k8s';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' };

on.create('kopfexamples', async function create_fn({ spec, client, logger }) {
  const pod: Body = {
    apiVersion: 'v1',
    kind: 'Pod',
    spec: {
      containers: [
        {
          name: 'the-only-one',
          image: 'busybox',
          command: ['sh', '-x', '-c', `sleep ${spec.duration ?? '1m'}`],
        },
      ],
    },
  };
  adopt(pod);
  const child = await createObject(client, PODS, pod);
  logger.info(`POD child is created: ${child.metadata?.name}`);
  return { 'pod-name': child.metadata?.name };
});
