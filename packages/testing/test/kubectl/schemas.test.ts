/**
 * Custom resources with a structural schema through real kubectl 1.27–1.35 (npm) and the ones
 * on PATH: kubectl's default validation leaves unknown fields to the server
 * (`fieldValidation=Strict`), so `kubectl apply` of an object with an unknown field fails with
 * the server's strict decoding error, `--validate=warn` prints the server's warning,
 * `--validate=false` stores the object pruned; a wrong type is the server's 422 with
 * kube-openapi's wording, and defaults show up in what kubectl reads back.
 */

import { FakeApiServer } from '@kopf/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinaries } from '../support/kubectl.js';
import { KubectlSession } from './session.js';

const binaries = await kubectlBinaries();

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.schemas.kopf.dev' },
  spec: {
    group: 'schemas.kopf.dev',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer', minimum: 1, default: 1 },
                  mode: { type: 'string', enum: ['fast', 'slow'] },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const widget = (name: string, spec: Record<string, unknown>): string =>
  JSON.stringify({ apiVersion: 'schemas.kopf.dev/v1', kind: 'Widget', metadata: { name }, spec });

describe.each(binaries.map((binary) => [`${binary.version} (${binary.name})`, binary] as const))(
  'kubectl %s with a structural schema',
  (_, binary) => {
    let server: FakeApiServer;
    let kubectl: KubectlSession;

    const spec = (name: string): Promise<string> =>
      kubectl.ok(['get', 'widgets', name, '-o', 'jsonpath={.spec}']);

    beforeAll(async () => {
      server = await FakeApiServer.start();
      kubectl = await KubectlSession.open(binary, server);
      await kubectl.ok(['apply', '-f', '-'], JSON.stringify(CRD));
      await kubectl.ok([
        'wait',
        '--for=condition=Established',
        'crd/widgets.schemas.kopf.dev',
        '--timeout=20s',
      ]);
    });

    afterAll(async () => {
      await kubectl?.close();
      await server?.stop();
    });

    it('apply of an object with an unknown field fails with the strict decoding error', async () => {
      const result = await kubectl.run(['apply', '-f', '-'], widget('strict', { replicas: 2, foo: 'bar' }));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'Error from server (BadRequest): error when creating "STDIN": Widget in version "v1" cannot be ' +
          'handled as a Widget: strict decoding error: unknown field "spec.foo"',
      );
      expect((await kubectl.run(['get', 'widgets', 'strict'])).stderr).toMatch(/not found/);
    });

    it('--validate=false stores it pruned (and defaulted); --validate=warn prints the warning', async () => {
      const created = await kubectl.ok(
        ['apply', '--validate=false', '-f', '-'],
        widget('lenient', { mode: 'fast', foo: 'bar' }),
      );
      expect(created).toMatch(/widget\.schemas\.kopf\.dev\/lenient created/);
      expect(JSON.parse(await spec('lenient'))).toEqual({ mode: 'fast', replicas: 1 });
      const warned = await kubectl.run(
        ['apply', '--validate=warn', '-f', '-'],
        widget('warned', { foo: 'bar' }),
      );
      expect(warned.code).toBe(0);
      expect(warned.stderr).toContain('Warning: unknown field "spec.foo"');
      expect(JSON.parse(await spec('warned'))).toEqual({ replicas: 1 });
    });

    it('re-applying with an unknown field fails the patch; kubectl patch warns and prunes', async () => {
      await kubectl.ok(['apply', '-f', '-'], widget('patched', { replicas: 2 }));
      const refused = await kubectl.run(['apply', '-f', '-'], widget('patched', { replicas: 3, foo: 'bar' }));
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(
        /^The request is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "spec\.foo"$/m,
      );
      expect(JSON.parse(await spec('patched'))).toEqual({ replicas: 2 });
      await kubectl.ok(['apply', '-f', '-'], widget('patched', { replicas: 3 }));
      expect(JSON.parse(await spec('patched'))).toEqual({ replicas: 3 });
      const patched = await kubectl.run([
        'patch',
        'widget',
        'patched',
        '--type=merge',
        '-p',
        '{"spec":{"bar":1}}',
      ]);
      expect(patched.stderr).toContain('Warning: unknown field "spec.bar"');
      expect(patched.stdout).toMatch(/widget\.schemas\.kopf\.dev\/patched patched \(no change\)/);
    });

    it('server-side apply of an unknown field fails in the typed conversion', async () => {
      const result = await kubectl.run(['apply', '--server-side', '-f', '-'], widget('ssa', { foo: 'bar' }));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'Error from server: failed to create typed patch object (default/ssa; schemas.kopf.dev/v1, Kind=Widget): ' +
          '.spec.foo: field not declared in schema',
      );
      await kubectl.ok(['apply', '--server-side', '-f', '-'], widget('ssa', { mode: 'slow' }));
      expect(JSON.parse(await spec('ssa'))).toEqual({ mode: 'slow', replicas: 1 });
    });

    it('a wrong type is refused with the 422 and kube-openapi wording, as kubectl prints it', async () => {
      const result = await kubectl.run(['apply', '-f', '-'], widget('typed', { replicas: 'two' }));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'The Widget "typed" is invalid: spec.replicas: Invalid value: "string": ' +
          'spec.replicas in body must be of type integer: "string"',
      );
      const low = await kubectl.run(['create', '-f', '-'], widget('low', { replicas: 0, mode: 'medium' }));
      expect(low.stderr).toContain(
        'The Widget "low" is invalid: \n' +
          '* spec.mode: Unsupported value: "medium": supported values: "fast", "slow"\n' +
          '* spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1\n',
      );
    });
  },
);
