/**
 * `kubectl apply --server-side` against the fake API server, for every kubectl 1.27–1.35 (npm)
 * and the ones on PATH: create, update (fields dropped from the file go), conflicts with
 * another manager as kubectl prints them, and `--force-conflicts`, on a custom resource,
 * its CRD and a ConfigMap. Each version gets a fresh server, kubeconfig and `--cache-dir`.
 */

import { fileURLToPath } from 'node:url';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinaries } from '../support/kubectl.js';
import { KubectlSession } from './session.js';

const CRD = fileURLToPath(new URL('../../../../examples/crd.yaml', import.meta.url));
const OBJ = fileURLToPath(new URL('../../../../examples/obj.yaml', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface ManagedEntry {
  manager: string;
  operation: string;
}

interface Observed {
  metadata: { labels?: Record<string, string>; managedFields?: ManagedEntry[] };
  spec?: { duration?: string; field?: string; items?: string[] };
  data?: Record<string, string>;
}

const binaries = await kubectlBinaries();
const KEX = ['kopfexamples', 'kopf-example-1'];
const SSA = ['apply', '--server-side'];

describe.each(binaries.map((binary) => [`${binary.version} (${binary.name})`, binary] as const))(
  'kubectl %s apply --server-side',
  (_, binary) => {
    let server: FakeApiServer;
    let kubectl: KubectlSession;
    const read = async (args: readonly string[]): Promise<Observed> =>
      JSON.parse(await kubectl.ok(['get', ...args, '-o', 'json', '--show-managed-fields']));

    beforeAll(async () => {
      server = await FakeApiServer.start();
      kubectl = await KubectlSession.open(binary, server);
    });

    afterAll(async () => {
      await kubectl?.close();
      await server?.stop();
    });

    it('creates the CRD and a custom resource, owned by the "kubectl" applier', async () => {
      expect(await kubectl.ok([...SSA, '-f', CRD])).toMatch(
        /customresourcedefinition\.apiextensions\.k8s\.io\/kopfexamples\.kopf\.dev serverside-applied/,
      );
      await kubectl.ok(['wait', '--for=condition=Established', 'crd/kopfexamples.kopf.dev', '--timeout=20s']);
      expect(await kubectl.ok([...SSA, '-f', OBJ])).toMatch(
        /kopfexample\.kopf\.dev\/kopf-example-1 serverside-applied/,
      );
      const object = await read(KEX);
      expect(object.spec).toEqual({ duration: '1m', field: 'value', items: ['item1', 'item2'] });
      expect(object.metadata.managedFields?.map((entry) => [entry.manager, entry.operation])).toEqual([
        ['kubectl', 'Apply'],
      ]);
    });

    it('updates from a changed file: new values in, dropped fields out', async () => {
      expect(await kubectl.ok([...SSA, '-f', fixture('obj-changed.yaml')])).toMatch(
        /kopf-example-1 serverside-applied/,
      );
      const object = await read(KEX);
      expect(object.spec).toEqual({ duration: '1m', field: 'changed-by-apply', items: ['item1'] });
      expect(object.metadata.labels).toEqual({ somelabel: 'somevalue', stage: 'reapplied' });
    });

    it('refuses to take a field another manager changed, then takes it with --force-conflicts', async () => {
      await kubectl.ok(['patch', ...KEX, '--type=merge', '-p', '{"spec":{"field":"patched"}}']);
      const refused = await kubectl.run([...SSA, '-f', OBJ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(
        /Apply failed with 1 conflict: conflict with "kubectl-patch" using kopf\.dev\/v1: \.spec\.field/,
      );
      expect((await read(KEX)).spec?.field).toBe('patched');
      expect(await kubectl.ok([...SSA, '--force-conflicts', '-f', OBJ])).toMatch(/serverside-applied/);
      const object = await read(KEX);
      expect(object.spec?.field).toBe('value');
      expect(object.metadata.managedFields?.map((entry) => entry.manager)).toEqual(['kubectl']);
    });

    it('applies a ConfigMap, and another field manager conflicts on its data', async () => {
      expect(await kubectl.ok([...SSA, '-f', fixture('configmap.yaml')])).toMatch(
        /configmap\/settings serverside-applied/,
      );
      await kubectl.ok([...SSA, '-f', fixture('configmap-changed.yaml')]);
      const changed = await read(['configmap', 'settings']);
      expect(changed.data).toEqual({ colour: 'green', shape: 'round' });
      expect(changed.metadata.labels).toEqual({ stage: 'reapplied' });
      const rival = await kubectl.run([...SSA, '--field-manager=rival', '-f', fixture('configmap.yaml')]);
      expect(rival.code).not.toBe(0);
      expect(rival.stderr).toMatch(/Apply failed with 1 conflict: conflict with "kubectl": \.data\.colour/);
      await kubectl.ok([
        ...SSA,
        '--field-manager=rival',
        '--force-conflicts',
        '-f',
        fixture('configmap.yaml'),
      ]);
      const taken = await read(['configmap', 'settings']);
      expect(taken.data).toEqual({ colour: 'blue', shape: 'round', size: 'large' });
      expect(taken.metadata.managedFields?.map((entry) => entry.manager).sort()).toEqual([
        'kubectl',
        'rival',
      ]);
    });

    it('takes over from client-side apply without conflicts, keeping last-applied in step', async () => {
      const configMap = (colour: string): string =>
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'upgraded' },
          data: { colour },
        });
      await kubectl.ok(['apply', '-f', '-'], configMap('blue'));
      expect(await kubectl.ok([...SSA, '-f', '-'], configMap('green'))).toMatch(
        /configmap\/upgraded serverside-applied/,
      );
      const upgraded = await read(['configmap', 'upgraded']);
      expect(upgraded.data).toEqual({ colour: 'green' });
      const annotations = (upgraded.metadata as { annotations?: Record<string, string> }).annotations ?? {};
      expect(
        JSON.parse(annotations['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}'),
      ).toMatchObject({
        data: { colour: 'green' },
      });
      await kubectl.ok(['apply', '-f', '-'], configMap('red'));
      expect((await read(['configmap', 'upgraded'])).data).toEqual({ colour: 'red' });
    });
  },
);
