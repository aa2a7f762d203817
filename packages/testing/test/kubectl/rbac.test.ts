/**
 * RBAC enforced by the fake API server, driven by every kubectl 1.27–1.35 (npm) and the ones on
 * PATH with a service account's token: forbidden before a Role allows it (kubectl prints the
 * real message), allowed inside the Role's grant and still forbidden outside it, and
 * `kubectl auth can-i` / `kubectl auth whoami` answering for the token.
 */

import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinaries } from '../support/kubectl.js';
import { KubectlSession } from './session.js';

const binaries = await kubectlBinaries();
const SA = 'system:serviceaccount:ops:operator';

const ROLE = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'configmap-reader', namespace: 'default' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'operator-reads-configmaps', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: 'ops' }],
    },
  ],
});

describe.each(binaries.map((binary) => [`${binary.version} (${binary.name})`, binary] as const))(
  'kubectl %s with RBAC',
  (_, binary) => {
    let server: FakeApiServer;
    let admin: KubectlSession;
    let operator: KubectlSession;

    beforeAll(async () => {
      server = await FakeApiServer.start({
        namespaces: ['ops'],
        rbac: true,
        users: { 'operator-token': SA },
      });
      admin = await KubectlSession.open(binary, server);
      operator = await KubectlSession.open(binary, server, { token: 'operator-token' });
    });

    afterAll(async () => {
      await operator?.close();
      await admin?.close();
      await server?.stop();
    });

    it('forbids the service account before a Role allows it', async () => {
      const denied = await operator.run(['get', 'configmaps']);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain(
        `Error from server (Forbidden): configmaps is forbidden: User "${SA}" cannot list resource "configmaps" in API group "" in the namespace "default"`,
      );
      expect((await operator.run(['auth', 'can-i', 'list', 'configmaps'])).stdout.trim()).toBe('no');
    });

    it('allows what the Role grants, and nothing else', async () => {
      await admin.ok(['apply', '-f', '-'], ROLE);
      await admin.ok(['create', 'configmap', 'settings', '--from-literal=a=1']);
      expect(await operator.ok(['get', 'configmaps', 'settings', '-o', 'jsonpath={.data.a}'])).toBe('1');
      const created = await operator.run(['create', 'configmap', 'mine', '--from-literal=b=2']);
      expect(created.stderr).toMatch(
        /configmaps is forbidden: User "system:serviceaccount:ops:operator" cannot create resource "configmaps" in API group "" in the namespace "default"/,
      );
      const elsewhere = await operator.run(['get', 'configmaps', '-n', 'ops']);
      expect(elsewhere.stderr).toMatch(
        /cannot list resource "configmaps" in API group "" in the namespace "ops"/,
      );
      expect((await operator.run(['auth', 'can-i', 'list', 'configmaps'])).stdout.trim()).toBe('yes');
      expect((await operator.run(['auth', 'can-i', 'delete', 'configmaps'])).stdout.trim()).toBe('no');
    });

    it('auth whoami names the service account', async () => {
      const whoami = await operator.ok(['auth', 'whoami']);
      expect(whoami).toMatch(new RegExp(`Username\\s+${SA}`));
      expect(whoami).toMatch(/system:serviceaccounts:ops/);
    });
  },
);
