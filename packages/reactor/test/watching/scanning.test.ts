/**
 * `settings.scanning.disabled` (Kopf's switch for operators whose RBAC cannot list
 * CRDs or namespaces): resources are discovered once at start, and only namespaces
 * named exactly are served. With scanning on (the default), a CRD created later
 * and namespaces matching a glob are followed.
 */
import { on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, eventually, OBJ } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

function registryWithCreations(seen: string[]): Registry {
  const registry = new Registry();
  on.create('kopfexamples', { registry }, function create_fn({ name, namespace }) {
    seen.push(`${namespace}/${name}`);
  });
  on.event('configmaps', { registry }, function cm_fn({ name, namespace, type }) {
    if (type === 'ADDED') seen.push(`cm ${namespace}/${name}`);
  });
  return registry;
}

const configMap = (namespace: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'probe', namespace },
});
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('scanning', () => {
  it('when on, follows a CRD created after the start', async () => {
    const seen: string[] = [];
    run = await runOperator({ registry: registryWithCreations(seen) });
    await run.cluster.apply(CRD);
    await run.cluster.apply(OBJ);
    await eventually(() => seen.includes('default/kopf-example-1'), 'the later CRD is served');
  });

  it('when disabled, serves only the resources found at the start, and only named namespaces', async () => {
    const seen: string[] = [];
    run = await runOperator({
      registry: registryWithCreations(seen),
      settings: { scanning: { disabled: true } },
      namespaces: ['default', 'team-*'],
      apply: [namespace('team-a')],
    });
    expect(run.lines('warning')).toContain(
      'Namespace patterns cannot be followed with scanning disabled; only the named namespaces are served: default.',
    );
    await run.cluster.apply(configMap('team-a'));
    await run.cluster.apply(configMap('default'));
    await eventually(() => seen.includes('cm default/probe'), 'the named namespace is served');
    await run.cluster.apply(CRD);
    await run.cluster.apply(OBJ);
    // Long enough for a followed CRD to be served (well under a second when scanning).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await run.cluster.apply({ ...configMap('default'), metadata: { name: 'probe2', namespace: 'default' } });
    await eventually(() => seen.includes('cm default/probe2'), 'later events are served');
    expect(seen).not.toContain('cm team-a/probe');
    expect(seen).not.toContain('default/kopf-example-1');
  });
});
