/**
 * Real kubectl against the fake API server, for every kubectl 1.27–1.35 (npm) and the ones on
 * PATH: the Kopf talk's walk-through (apply a CRD and an object, get, watch, describe, patch,
 * label, annotate, replace, re-apply, finalizers and deletion, wait) plus the imperative
 * `create` commands that send protobuf from 1.32 on, and namespace deletion. Default validation is on
 * everywhere (1.27 and 1.28 too: the fake serves the protobuf `/openapi/v2` they insist on).
 * Each version gets a fresh server, kubeconfig and `--cache-dir`.
 */

import { fileURLToPath } from 'node:url';
import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinaries } from '../support/kubectl.js';
import { KubectlSession } from './session.js';

const CRD = fileURLToPath(new URL('../../../../examples/crd.yaml', import.meta.url));
const OBJ = fileURLToPath(new URL('../../../../examples/obj.yaml', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The parts of a KopfExample (or ConfigMap) the scenarios read. */
interface Observed {
  metadata: { uid: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { duration?: string; field?: string; items?: string[] };
  data?: Record<string, string>;
}

const binaries = await kubectlBinaries();
const KEX = ['kopfexamples', 'kopf-example-1'];

describe.each(binaries.map((binary) => [`${binary.version} (${binary.name})`, binary] as const))(
  'kubectl %s',
  (_, binary) => {
    let server: FakeApiServer;
    let kubectl: KubectlSession;
    const field = (path: string): Promise<string> => kubectl.ok(['get', ...KEX, '-o', `jsonpath={${path}}`]);
    const object = async (): Promise<Observed> => JSON.parse(await kubectl.ok(['get', ...KEX, '-o', 'json']));

    /** Resolves once the server has seen `count` more watch requests for the resource. */
    const watchesOpened = async (resource: string, before: number, count = 1): Promise<void> => {
      await expect
        .poll(() => server.counters.get({ verb: 'watch', resource }), { timeout: 20_000, interval: 20 })
        .toBeGreaterThanOrEqual(before + count);
    };

    beforeAll(async () => {
      server = await FakeApiServer.start();
      kubectl = await KubectlSession.open(binary, server);
    });

    afterAll(async () => {
      await kubectl?.close();
      await server?.stop();
    });

    it('version: the client and the fake server', async () => {
      const versions = JSON.parse(await kubectl.ok(['version', '-o', 'json']));
      const client = `${versions.clientVersion.major}.${versions.clientVersion.minor}`;
      expect(client).toMatch(binary.dispatcher ? /^1\.\d+$/ : new RegExp(`^${binary.version}$`));
      expect(versions.serverVersion.gitVersion).toBe('v1.33.4');
    });

    it('apply -f crd.yaml: created, then Established', async () => {
      expect(await kubectl.ok(['apply', '-f', CRD])).toMatch(
        /customresourcedefinition\.apiextensions\.k8s\.io\/kopfexamples\.kopf\.dev created/,
      );
      await kubectl.ok(['wait', '--for=condition=Established', 'crd/kopfexamples.kopf.dev', '--timeout=20s']);
    });

    it('api-resources: kopfexamples with its short names', async () => {
      const resources = await kubectl.ok(['api-resources', '--api-group=kopf.dev']);
      expect(resources).toMatch(
        /^kopfexamples\s+kopfexes,kopfex,kexes,kex\s+kopf\.dev\/v1\s+true\s+KopfExample$/m,
      );
    });

    it('explain: the fields of the CRD from OpenAPI v3 (upstream 1.27 reads v2 instead)', async () => {
      const explained = await kubectl.run(['explain', 'kopfexamples']);
      if (explained.code !== 0 && binary.version === '1.27') {
        // The upstream 1.27 build explains from v2 definitions, which the fake does not publish.
        expect(explained.stderr).toMatch(/not found in OpenAPI schema/);
        return;
      }
      expect(explained.stdout).toMatch(/^KIND:\s+KopfExample$/m);
      expect(explained.stdout).toMatch(/^\s+spec\s+<Object>$/m);
      expect(explained.stdout).toMatch(/^\s+status\s+<Object>$/m);
    });

    it('apply -f obj.yaml: created', async () => {
      expect(await kubectl.ok(['apply', '-f', OBJ])).toMatch(
        /kopfexample\.kopf\.dev\/kopf-example-1 created/,
      );
    });

    it('get: a table with the printer columns, by plural and by short name', async () => {
      for (const name of ['kopfexamples', 'kex']) {
        const table = await kubectl.ok(['get', name]);
        expect(table).toMatch(/^NAME\s+DURATION\s+CHILDREN\s+MESSAGE\s*$/m);
        expect(table).toMatch(/^kopf-example-1\s+1m\s*$/m);
      }
    });

    it('get -o yaml: the object as applied, with system fields', async () => {
      const yaml = await kubectl.ok(['get', ...KEX, '-o', 'yaml']);
      for (const line of [
        'name: kopf-example-1',
        'field: value',
        '- item1',
        'somelabel: somevalue',
        'uid: ',
      ]) {
        expect(yaml).toContain(line);
      }
      expect(yaml).toMatch(/resourceVersion: "\d+"/);
      expect(yaml).toMatch(/creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    });

    it('get -w: sees a later change', async () => {
      const before = server.counters.get({ verb: 'watch', resource: 'kopfexamples' });
      const watching = kubectl.spawn(['get', ...KEX, '-w']);
      await watching.waitForOutput(/^kopf-example-1\s+1m\s*$/m);
      await watchesOpened('kopfexamples', before);
      await kubectl.ok(['patch', ...KEX, '--type=merge', '-p', '{"spec":{"duration":"2m"}}']);
      expect(await watching.waitForOutput(/^kopf-example-1\s+2m\s*$/m)).toMatch(/1m[\s\S]*2m/);
      await watching.stop();
    });

    it('patch --type=merge and --type=json', async () => {
      expect(
        await kubectl.ok(['patch', ...KEX, '--type=merge', '-p', '{"spec":{"field":"merged"}}']),
      ).toMatch(/kopfexample\.kopf\.dev\/kopf-example-1 patched/);
      expect(await field('.spec.field')).toBe('merged');
      const ops =
        '[{"op":"replace","path":"/spec/duration","value":"3m"},{"op":"add","path":"/spec/items/-","value":"item3"}]';
      await kubectl.ok(['patch', ...KEX, '--type=json', '-p', ops]);
      expect((await object()).spec).toEqual({
        duration: '3m',
        field: 'merged',
        items: ['item1', 'item2', 'item3'],
      });
    });

    it('patch with the default strategic type: refused for a custom resource, as kube does', async () => {
      const result = await kubectl.run(['patch', ...KEX, '-p', '{"spec":{"field":"strategic"}}']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(
        /application\/strategic-merge-patch\+json is not supported by kopf\.dev\/v1/,
      );
    });

    it('label and annotate', async () => {
      expect(await kubectl.ok(['label', ...KEX, 'tier=demo'])).toMatch(/kopf-example-1 labeled/);
      expect(await kubectl.ok(['annotate', ...KEX, 'note=hello'])).toMatch(/kopf-example-1 annotated?$/m); // 1.27: annotate
      const { metadata } = await object();
      expect(metadata.labels).toEqual({ somelabel: 'somevalue', tier: 'demo' });
      expect(metadata.annotations).toMatchObject({ someannotation: 'somevalue', note: 'hello' });
      expect(await kubectl.ok(['get', 'kex', '-l', 'tier=demo', '-o', 'name'])).toBe(
        'kopfexample.kopf.dev/kopf-example-1\n',
      );
    });

    it('replace, edit-style: get -o json, change, replace -f -; a stale copy conflicts', async () => {
      const current = await object();
      current.spec.field = 'replaced';
      expect(await kubectl.ok(['replace', '-f', '-'], JSON.stringify(current))).toMatch(
        /kopf-example-1 replaced/,
      );
      expect(await field('.spec.field')).toBe('replaced');
      current.spec.field = 'stale';
      const stale = await kubectl.run(['replace', '-f', '-'], JSON.stringify(current));
      expect(stale.code).not.toBe(0);
      expect(stale.stderr).toMatch(
        /Operation cannot be fulfilled on kopfexamples\.kopf\.dev "kopf-example-1"/,
      );
    });

    it('describe: the object and an Event posted for it', async () => {
      const uid = await field('.metadata.uid');
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'kopf-example-1.greeting', namespace: 'default' },
        involvedObject: {
          apiVersion: 'kopf.dev/v1',
          kind: 'KopfExample',
          name: 'kopf-example-1',
          namespace: 'default',
          uid,
        },
        reason: 'Logging',
        message: 'Handler create_fn succeeded.',
        type: 'Normal',
        source: { component: 'kopf' },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      };
      await kubectl.ok(['create', '-f', '-'], JSON.stringify(event));
      const description = await kubectl.ok(['describe', ...KEX]);
      expect(description).toMatch(/^Name:\s+kopf-example-1$/m);
      expect(description).toMatch(/^Kind:\s+KopfExample$/m);
      expect(description).toMatch(/^\s+Field:\s+replaced$/m);
      expect(description).toMatch(/^Events:/m);
      expect(description).toMatch(/Normal\s+Logging\s+\S+\s+kopf\s+Handler create_fn succeeded\./);
    });

    it('re-apply of a changed file: a merge patch from the last applied configuration', async () => {
      expect(await kubectl.ok(['apply', '-f', fixture('obj-changed.yaml')])).toMatch(
        /kopfexample\.kopf\.dev\/kopf-example-1 configured/,
      );
      const { metadata, spec } = await object();
      expect(spec).toEqual({ duration: '1m', field: 'changed-by-apply', items: ['item1'] });
      // `tier` goes: the edit-style `replace` above refreshed the last-applied annotation, as kubectl does.
      expect(metadata.labels).toEqual({ somelabel: 'somevalue', stage: 'reapplied' });
    });

    it('apply and re-apply a ConfigMap: the second is a strategic merge patch', async () => {
      expect(await kubectl.ok(['apply', '-f', fixture('configmap.yaml')])).toMatch(
        /configmap\/settings created/,
      );
      expect(await kubectl.ok(['apply', '-f', fixture('configmap-changed.yaml')])).toMatch(
        /configmap\/settings configured/,
      );
      const configMap: Observed = JSON.parse(
        await kubectl.ok(['get', 'configmap', 'settings', '-o', 'json']),
      );
      expect(configMap.data).toEqual({ colour: 'green', shape: 'round' });
      expect(configMap.metadata.labels).toEqual({ stage: 'reapplied' });
    });

    it('wait --for=condition=Ready: returns once the status says so', async () => {
      const before = server.counters.get({ verb: 'watch', resource: 'kopfexamples' });
      const waiting = kubectl.spawn(['wait', '--for=condition=Ready', 'kex/kopf-example-1', '--timeout=30s']);
      await watchesOpened('kopfexamples', before);
      const status = '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}';
      await kubectl.ok(['patch', ...KEX, '--subresource=status', '--type=merge', '-p', status]);
      const result = await waiting.exited;
      expect(result).toMatchObject({ code: 0 });
      expect(result.stdout).toMatch(/kopfexample\.kopf\.dev\/kopf-example-1 condition met/);
    });

    it('delete with a finalizer: stays; delete --wait and wait --for=delete return once it goes', async () => {
      await kubectl.ok([
        'patch',
        ...KEX,
        '--type=merge',
        '-p',
        '{"metadata":{"finalizers":["kopf.dev/test"]}}',
      ]);
      expect(await kubectl.ok(['delete', ...KEX, '--wait=false'])).toMatch(/"kopf-example-1" deleted/);
      expect(await field('.metadata.deletionTimestamp')).toMatch(/^\d{4}-\d\d-\d\dT/);

      const before = server.counters.get({ verb: 'watch', resource: 'kopfexamples' });
      const deleting = kubectl.spawn(['delete', ...KEX, '--timeout=30s']);
      const waiting = kubectl.spawn(['wait', '--for=delete', 'kex/kopf-example-1', '--timeout=30s']);
      await watchesOpened('kopfexamples', before, 2);
      await kubectl.ok([
        'patch',
        ...KEX,
        '--type=json',
        '-p',
        '[{"op":"remove","path":"/metadata/finalizers"}]',
      ]);

      expect(await deleting.exited).toMatchObject({ code: 0 });
      expect(await waiting.exited).toMatchObject({ code: 0 });
      const gone = await kubectl.run(['get', ...KEX]);
      expect(gone.stderr).toMatch(/kopfexamples\.kopf\.dev "kopf-example-1" not found/);
    });

    it('create ns, configmap, secret and serviceaccount (protobuf bodies from 1.32 on)', async () => {
      expect(await kubectl.ok(['create', 'namespace', 'dev'])).toMatch(/namespace\/dev created/);
      expect(await kubectl.ok(['get', 'namespace', 'dev', '-o', 'jsonpath={.status.phase}'])).toBe('Active');
      await kubectl.ok(['create', 'configmap', 'greetings', '--from-literal=greeting=hello', '-n', 'dev']);
      expect(
        await kubectl.ok(['get', 'cm', 'greetings', '-n', 'dev', '-o', 'jsonpath={.data.greeting}']),
      ).toBe('hello');
      await kubectl.ok(['create', 'secret', 'generic', 'token', '--from-literal=token=s3cr3t', '-n', 'dev']);
      const secret = JSON.parse(await kubectl.ok(['get', 'secret', 'token', '-n', 'dev', '-o', 'json']));
      expect(secret).toMatchObject({
        type: 'Opaque',
        data: { token: Buffer.from('s3cr3t').toString('base64') },
      });
      expect(await kubectl.ok(['create', 'serviceaccount', 'robot', '-n', 'dev'])).toMatch(
        /serviceaccount\/robot created/,
      );
    });

    it('get prints built-in kinds with the columns of the kube printers', async () => {
      expect(await kubectl.ok(['get', 'crd', 'kopfexamples.kopf.dev'])).toMatch(
        /^NAME\s+CREATED AT\n^kopfexamples\.kopf\.dev\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m,
      );
      expect(
        await kubectl.ok(['get', 'events', '--field-selector=involvedObject.name=kopf-example-1']),
      ).toMatch(
        /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n.*Normal\s+Logging\s+kopfexample\/kopf-example-1\s+Handler/m,
      );
      expect(await kubectl.ok(['get', 'configmap', 'settings'])).toMatch(
        /^NAME\s+DATA\s+AGE\n^settings\s+2\s+\S+$/m,
      );
      expect(await kubectl.ok(['get', 'secret', 'token', '-n', 'dev'])).toMatch(
        /^NAME\s+TYPE\s+DATA\s+AGE\n^token\s+Opaque\s+1\s+\S+$/m,
      );
      await expect
        .poll(() => kubectl.ok(['get', 'serviceaccounts', '-n', 'dev']), { timeout: 20_000 })
        .toMatch(/^NAME\s+SECRETS\s+AGE\n^default\s+0\s+\S+\n^robot\s+0\s+\S+$/m);
      expect(await kubectl.ok(['get', 'service', 'kubernetes'])).toMatch(
        /^kubernetes\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+<none>\s+443\/TCP\s+\S+$/m,
      );
    });

    it('delete namespace: returns once the namespace and its content are gone', async () => {
      expect(await kubectl.ok(['get', 'namespaces'])).toMatch(/^dev\s+Active\s+\S+$/m);
      expect(await kubectl.ok(['delete', 'namespace', 'dev', '--timeout=30s'])).toMatch(
        /namespace "dev" deleted/,
      );
      expect(await kubectl.ok(['get', 'namespaces', '-o', 'name'])).not.toMatch(/namespace\/dev$/m);
      await kubectl.ok(['create', 'namespace', 'dev']);
      const leftovers = await kubectl.run(['get', 'configmaps,secrets', '-n', 'dev', '-o', 'name']);
      expect(leftovers).toMatchObject({ code: 0, stdout: '' });
    });
  },
);
