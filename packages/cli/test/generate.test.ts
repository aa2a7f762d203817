import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { REPO, runKopf } from './support/kopf.js';
import { kubectl, kubectlApply } from './support/kubectl.js';

const OPERATOR = join(REPO, 'examples/01-minimal/operator.ts');
let server: FakeApiServer;
let directory: string;
let kubeconfig: string;

beforeAll(async () => {
  server = await FakeApiServer.start();
  directory = await mkdtemp(join(tmpdir(), 'kopf-cli-generate-'));
  kubeconfig = join(directory, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
});

afterAll(async () => {
  await server?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('kopf generate', { timeout: 60_000 }, () => {
  it('crd: a CRD the API server accepts, whose objects keep any spec and status', async () => {
    const args = ['generate', 'crd', '--group', 'example.com', '--kind', 'Widget', '--short-name', 'wdg'];
    const result = await runKopf([...args, '-o', join(directory, 'crd.yaml')]);
    expect(result).toMatchObject({
      code: 0,
      stdout: `Wrote 1 object(s) to ${join(directory, 'crd.yaml')}.\n`,
    });
    await kubectl(kubeconfig, ['apply', '-f', join(directory, 'crd.yaml')]);
    await writeFile(
      join(directory, 'widget.yaml'),
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\nspec: {any: [1, 2]}\n',
    );
    await kubectlApply(kubeconfig, join(directory, 'widget.yaml'));
    expect(parse(await kubectl(kubeconfig, ['get', 'wdg', 'w1', '-o', 'yaml'])).spec).toEqual({
      any: [1, 2],
    });
  });

  it('crd: a usage error without --group or --kind', async () => {
    const result = await runKopf(['generate', 'crd', '--kind', 'Widget']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'kopf generate crd: --group and --kind are required, e.g. --group kopf.dev --kind KopfExample.\n',
    );
  });

  it('rbac: Roles per served namespace, and a one-line error naming --crd when a resource is unknown', async () => {
    const crd = join(REPO, 'examples/crd.yaml');
    const result = await runKopf([
      'generate',
      'rbac',
      OPERATOR,
      '--crd',
      crd,
      '-n',
      'team-a',
      '--standalone',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const objects = parseAllDocuments(result.stdout).map((document) => document.toJS());
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}`)).toEqual([
      'ServiceAccount/default',
      'ClusterRole/',
      'ClusterRoleBinding/',
      'Role/team-a',
      'RoleBinding/team-a',
    ]);
    expect(JSON.stringify(objects)).not.toContain('kopfpeerings');
    await kubectl(kubeconfig, ['create', 'namespace', 'team-a']);
    await writeFile(join(directory, 'rbac.yaml'), result.stdout);
    expect(await kubectl(kubeconfig, ['apply', '-f', join(directory, 'rbac.yaml')])).toContain('role.rbac');

    const unknown = await runKopf(['generate', 'rbac', OPERATOR]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^kopf generate rbac: Resolving 'kopfexamples' of create handler 'create_fn' failed: .*--crd FILE.*\n$/,
    );
  });

  it('deployment: kopf run with the service account and a liveness probe on its endpoint', async () => {
    const output = join(directory, 'deployment.yaml');
    const args = [
      'generate',
      'deployment',
      'examples/01-minimal/operator.ts',
      '--image',
      'registry.example.com/op:1',
    ];
    const result = await runKopf([...args, '-o', output]);
    expect(result.code, result.stderr).toBe(0);
    const deployment = parse(await readFile(output, 'utf8'));
    const [container] = deployment.spec.template.spec.containers;
    expect(container.args).toEqual([
      'run',
      'examples/01-minimal/operator.ts',
      '--all-namespaces',
      '--liveness',
      'http://0.0.0.0:8080/healthz',
    ]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(deployment.spec.template.spec.serviceAccountName).toBe('kopf-operator');
    expect(await kubectl(kubeconfig, ['apply', '-f', output])).toContain('deployment.apps/kopf-operator');
  });
});
