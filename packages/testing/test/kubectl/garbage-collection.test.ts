/**
 * Owner references and cascading deletion against the fake API server, for every kubectl
 * 1.27–1.35 (npm) and the ones on PATH: `kubectl delete` of a parent removes its owned
 * children (background), `--cascade=foreground` returns once the children are gone first,
 * and `--cascade=orphan` leaves them without their owner reference.
 */

import { fileURLToPath } from 'node:url';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinaries } from '../support/kubectl.js';
import { KubectlSession } from './session.js';

const CRD = fileURLToPath(new URL('../../../../examples/crd.yaml', import.meta.url));
const binaries = await kubectlBinaries();

describe.each(binaries.map((binary) => [`${binary.version} (${binary.name})`, binary] as const))(
  'kubectl %s cascading deletion',
  (_, binary) => {
    let server: FakeApiServer;
    let kubectl: KubectlSession;

    /** Creates a KopfExample and `count` ConfigMaps it owns; returns the children's names. */
    const family = async (name: string, count: number): Promise<string[]> => {
      const parent = { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name }, spec: {} };
      await kubectl.ok(['apply', '-f', '-'], JSON.stringify(parent));
      const uid = await kubectl.ok(['get', 'kopfexamples', name, '-o', 'jsonpath={.metadata.uid}']);
      const children = Array.from({ length: count }, (_, index) => `${name}-child-${index}`);
      const owner = { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', name, uid, blockOwnerDeletion: true };
      const items = children.map((child) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: child, ownerReferences: [owner] },
      }));
      await kubectl.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
      return children;
    };
    const configMaps = async (): Promise<string> => kubectl.ok(['get', 'configmaps', '-o', 'name']);

    beforeAll(async () => {
      server = await FakeApiServer.start();
      kubectl = await KubectlSession.open(binary, server);
      await kubectl.ok(['apply', '-f', CRD]);
      await kubectl.ok(['wait', '--for=condition=Established', 'crd/kopfexamples.kopf.dev', '--timeout=20s']);
    });

    afterAll(async () => {
      await kubectl?.close();
      await server?.stop();
    });

    it('delete of a parent removes its children', async () => {
      await family('bg', 2);
      expect(await configMaps()).toMatch(/configmap\/bg-child-1/);
      await kubectl.ok(['delete', 'kopfexamples', 'bg']);
      await expect.poll(configMaps, { timeout: 20_000 }).not.toMatch(/bg-child/);
    });

    it('--cascade=foreground returns once the children are gone', async () => {
      await family('fg', 2);
      await kubectl.ok(['delete', 'kopfexamples', 'fg', '--cascade=foreground', '--timeout=30s']);
      expect(await configMaps()).not.toMatch(/fg-child/);
      const parent = await kubectl.run(['get', 'kopfexamples', 'fg']);
      expect(parent.stderr).toMatch(/not found/);
    });

    it('--cascade=orphan keeps the children, without the owner reference', async () => {
      await family('or', 1);
      await kubectl.ok(['delete', 'kopfexamples', 'or', '--cascade=orphan', '--timeout=30s']);
      expect(await configMaps()).toMatch(/configmap\/or-child-0/);
      expect(
        await kubectl.ok(['get', 'configmap', 'or-child-0', '-o', 'jsonpath={.metadata.ownerReferences}']),
      ).toBe('');
    });
  },
);
