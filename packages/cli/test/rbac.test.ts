import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyRule } from '@kopf/cli';
import type { KubernetesObject } from '@kopf/core';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { REPO, runKopf, startKopf } from './support/kopf.js';
import { kubectl, kubectlApply, kubectlUntil } from './support/kubectl.js';

// The minimal operator under a service account bound only to what `kopf generate rbac` gives it,
// on the fake API server with RBAC enforced (its --debug output has a line per HTTP request).
const TOKEN = 'operator-token';
const OPERATOR = join(REPO, 'examples/01-minimal/operator.ts');
const FORBIDDEN = / → 403 /;

let server: FakeApiServer;
let directory: string;
let admin: string;
let operatorKubeconfig: string;
let generated: KubernetesObject[];

beforeAll(async () => {
  server = await FakeApiServer.start({
    users: { [TOKEN]: 'system:serviceaccount:default:kopf-operator' },
    rbac: true,
  });
  directory = await mkdtemp(join(tmpdir(), 'kopf-cli-rbac-'));
  admin = join(directory, 'admin-kubeconfig');
  operatorKubeconfig = join(directory, 'operator-kubeconfig');
  await server.writeKubeconfig(admin);
  await server.writeKubeconfig(operatorKubeconfig, { token: TOKEN });
  await kubectl(admin, ['apply', '-f', join(REPO, 'examples/crd.yaml')]);
  await kubectlApply(admin, join(REPO, 'packages/reactor/peering.yaml'));
  const result = await runKopf(['generate', 'rbac', OPERATOR, '--crd', join(REPO, 'examples/crd.yaml')]);
  expect(result.code, result.stderr).toBe(0);
  generated = parseAllDocuments(result.stdout).map((document) => document.toJS() as KubernetesObject);
  await apply(generated);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await rm(directory, { recursive: true, force: true });
});

async function apply(
  objects: readonly KubernetesObject[],
  verb: 'apply' | 'replace' = 'apply',
): Promise<void> {
  const file = join(directory, `objects-${Date.now()}.yaml`);
  await writeFile(file, objects.map((object) => stringify(object)).join('---\n'));
  await kubectl(admin, [verb, '-f', file]);
}

async function createExample(name: string): Promise<void> {
  await apply([
    { apiVersion: 'kopf.dev/v1', kind: 'KopfExample', metadata: { name, namespace: 'default' }, spec: {} },
  ]);
}

/** Every permission of the ClusterRole on its own: one (group, resource, verb) each. */
function grants(rules: readonly PolicyRule[]): PolicyRule[] {
  return rules.flatMap((rule) =>
    rule.resources.flatMap((resource) =>
      rule.verbs.map((verb) => ({ apiGroups: rule.apiGroups, resources: [resource], verbs: [verb] })),
    ),
  );
}

const METHODS: Readonly<Record<string, string>> = {
  list: 'GET',
  watch: 'GET',
  create: 'POST',
  patch: 'PATCH',
};

/** The debug line of a request that needs this one permission, e.g. `PATCH /apis/kopf.dev/v1/…/x/status → 403`. */
function requestOf(grant: PolicyRule): RegExp {
  const [plural = '', subresource] = (grant.resources[0] ?? '').split('/');
  const object = subresource ? `/[^/ ]+/${subresource}` : '(/[^/ ]+)?';
  return new RegExp(`${METHODS[grant.verbs[0] ?? '']} /\\S*/${plural}${object} → 403 `);
}

describe('kopf generate rbac, with RBAC enforced', { timeout: 300_000 }, () => {
  it('generates the ServiceAccount, a ClusterRole and its binding', () => {
    expect(generated.map((object) => `${object.kind}/${object.metadata?.name}`)).toEqual([
      'ServiceAccount/kopf-operator',
      'ClusterRole/kopf-operator',
      'ClusterRoleBinding/kopf-operator',
    ]);
  });

  it('is sufficient: the operator peers, handles an object and posts its Event without a single 403', async () => {
    const kopf = startKopf(['run', OPERATOR, '-A', '--debug', '--kubeconfig', operatorKubeconfig]);
    try {
      await kopf.waitFor('Starting the watch-stream for kopfexamples.v1.kopf.dev cluster-wide.');
      await createExample('kex-sufficient');
      await kopf.waitFor("[default/kex-sufficient] Handler 'create_fn' succeeded.");
      await kubectlUntil(admin, ['describe', 'kopfexample', 'kex-sufficient'], (text) =>
        text.includes("Handler 'create_fn' succeeded."),
      );
      await kubectlUntil(admin, ['get', 'clusterkopfpeering', 'default', '-o', 'yaml'], (text) =>
        text.includes('lastseen'),
      );
    } finally {
      await kopf.stop('SIGINT');
    }
    const object = await kubectl(admin, ['get', 'kopfexample', 'kex-sufficient', '-o', 'jsonpath={.status}']);
    expect(JSON.parse(object)).toEqual({ create_fn: { message: 'hello world' } });
    expect(kopf.output).not.toMatch(FORBIDDEN);
    expect(kopf.stderr).toMatch(/PATCH \/apis\/kopf\.dev\/v1\/clusterkopfpeerings\/default → 200/);
  });

  it('is minimal: without any one of its permissions, the operator meets a 403', async () => {
    const role = generated.find((object) => object.kind === 'ClusterRole') as KubernetesObject & {
      rules: PolicyRule[];
    };
    const all = grants(role.rules);
    expect(all.length).toBeGreaterThanOrEqual(8);
    try {
      for (const [index, dropped] of all.entries()) {
        await apply([{ ...role, rules: all.filter((grant) => grant !== dropped) }], 'replace');
        // A peering object per run: the killed operators before it leave their records in theirs.
        const peering = `run-${index}`;
        await apply([{ apiVersion: 'kopf.dev/v1', kind: 'ClusterKopfPeering', metadata: { name: peering } }]);
        const args = [
          'run',
          OPERATOR,
          '-A',
          '--debug',
          '--peering',
          peering,
          '--kubeconfig',
          operatorKubeconfig,
        ];
        const kopf = startKopf(args);
        try {
          await kopf.waitFor('The cluster at');
          await createExample(`kex-without-${index}`);
          const line = await kopf.waitFor(FORBIDDEN, 30).catch((error: Error) => {
            throw new Error(`Without ${JSON.stringify(dropped)}, nothing was forbidden: ${error.message}`);
          });
          expect(line).toMatch(requestOf(dropped));
        } finally {
          await kopf.stop('SIGKILL');
        }
      }
    } finally {
      await apply([role], 'replace');
    }
  });
});
