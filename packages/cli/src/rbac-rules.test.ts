import { EVERYTHING, on, Registry } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { type OperatorNeeds, operatorNeeds, rbacRules, type ServedResource } from './rbac-rules.js';
import { ResourceCatalog, ResourceResolutionError } from './resource-catalog.js';

const KEX: ServedResource = {
  group: 'kopf.dev',
  plural: 'kopfexamples',
  namespaced: true,
  status: true,
  patched: true,
};
const PODS: ServedResource = { group: '', plural: 'pods', namespaced: true, status: true, patched: false };
const CRDS = {
  apiGroups: ['apiextensions.k8s.io'],
  resources: ['customresourcedefinitions'],
  verbs: ['list', 'watch'],
};
const EVENTS = { apiGroups: [''], resources: ['events'], verbs: ['create'] };

function needs(overrides: Partial<OperatorNeeds>): OperatorNeeds {
  return { resources: [], namespaces: { kind: 'cluster' }, peering: false, webhooks: false, ...overrides };
}

describe('rbacRules', () => {
  it('grants list, watch and patch (with /status) for changing handlers, events and CRD discovery', () => {
    expect(rbacRules(needs({ resources: [KEX] }))).toEqual({
      cluster: [
        EVENTS,
        CRDS,
        { apiGroups: ['kopf.dev'], resources: ['kopfexamples'], verbs: ['list', 'watch', 'patch'] },
        { apiGroups: ['kopf.dev'], resources: ['kopfexamples/status'], verbs: ['patch'] },
      ],
      namespaced: [],
    });
  });

  it('grants only list and watch for resources that are watched but never patched', () => {
    const { cluster } = rbacRules(needs({ resources: [PODS] }));
    expect(cluster).toContainEqual({ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] });
    expect(JSON.stringify(cluster)).not.toContain('patch');
  });

  it('leaves out /status when the resource has no status subresource', () => {
    const { cluster } = rbacRules(needs({ resources: [{ ...KEX, status: false }] }));
    expect(JSON.stringify(cluster)).not.toContain('kopfexamples/status');
  });

  it('merges resources of one group with the same verbs into one rule', () => {
    const configmaps: ServedResource = { ...PODS, plural: 'configmaps' };
    const { cluster } = rbacRules(needs({ resources: [PODS, configmaps] }));
    expect(cluster).toContainEqual({
      apiGroups: [''],
      resources: ['configmaps', 'pods'],
      verbs: ['list', 'watch'],
    });
  });

  it('needs nothing but CRD discovery when no resource is served', () => {
    expect(rbacRules(needs({}))).toEqual({ cluster: [CRDS], namespaced: [] });
  });

  it('puts namespaced grants into Roles when serving listed namespaces, and follows namespaces', () => {
    const rules = rbacRules(needs({ resources: [KEX], namespaces: { kind: 'names', names: ['default'] } }));
    expect(rules.cluster).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'watch'] },
      CRDS,
    ]);
    expect(rules.namespaced).toEqual([
      EVENTS,
      { apiGroups: ['kopf.dev'], resources: ['kopfexamples'], verbs: ['list', 'watch', 'patch'] },
      { apiGroups: ['kopf.dev'], resources: ['kopfexamples/status'], verbs: ['patch'] },
    ]);
  });

  it('keeps cluster-scoped resources in the ClusterRole when serving listed namespaces', () => {
    const nodes: ServedResource = {
      group: '',
      plural: 'nodes',
      namespaced: false,
      status: true,
      patched: false,
    };
    const rules = rbacRules(needs({ resources: [nodes], namespaces: { kind: 'names', names: ['default'] } }));
    expect(rules.cluster).toContainEqual({
      apiGroups: [''],
      resources: ['namespaces', 'nodes'],
      verbs: ['list', 'watch'],
    });
    expect(rules.cluster).toContainEqual(EVENTS);
  });

  it('keeps everything in the ClusterRole for namespace patterns, plus following namespaces', () => {
    const rules = rbacRules(needs({ resources: [KEX], namespaces: { kind: 'patterns' } }));
    expect(rules.namespaced).toEqual([]);
    expect(rules.cluster).toContainEqual({
      apiGroups: [''],
      resources: ['namespaces'],
      verbs: ['list', 'watch'],
    });
  });

  it('grants the peering objects of the scope when peering', () => {
    const verbs = ['list', 'watch', 'patch'];
    expect(rbacRules(needs({ peering: true })).cluster).toContainEqual({
      apiGroups: ['kopf.dev'],
      resources: ['clusterkopfpeerings'],
      verbs,
    });
    const names = rbacRules(needs({ peering: true, namespaces: { kind: 'names', names: ['ns1'] } }));
    expect(names.namespaced).toContainEqual({ apiGroups: ['kopf.dev'], resources: ['kopfpeerings'], verbs });
  });

  it('grants managing the webhook configurations when there are admission handlers', () => {
    expect(rbacRules(needs({ webhooks: true })).cluster).toContainEqual({
      apiGroups: ['admissionregistration.k8s.io'],
      resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
      verbs: ['create', 'patch'],
    });
  });
});

describe('operatorNeeds', () => {
  const catalog = new ResourceCatalog();
  const options = { namespaces: { kind: 'cluster' } as const, peering: false };

  it('patches what changing handlers, daemons and timers serve; only watches for event and index handlers', () => {
    const registry = new Registry();
    on.create('kopf.dev', 'v1', 'kopfexamples', { registry }, function create_fn() {});
    on.event('pods', { registry }, function pod_event() {});
    on.index('configmaps', { registry }, function by_name() {});
    on.timer('deployments', { registry, interval: 10 }, function tick() {});
    expect(operatorNeeds(registry, catalog, options).resources).toEqual([
      { group: 'kopf.dev', plural: 'kopfexamples', namespaced: true, status: true, patched: true },
      { group: '', plural: 'pods', namespaced: true, status: true, patched: false },
      { group: '', plural: 'configmaps', namespaced: true, status: false, patched: false },
      { group: 'apps', plural: 'deployments', namespaced: true, status: true, patched: true },
    ]);
  });

  it('counts a resource once, patched if any of its handlers patches', () => {
    const registry = new Registry();
    on.event('pods', { registry }, function seen() {});
    on.update('pods', { registry }, function changed() {});
    expect(operatorNeeds(registry, catalog, options).resources).toEqual([
      { group: '', plural: 'pods', namespaced: true, status: true, patched: true },
    ]);
  });

  it('ignores activities and notes admission handlers without watching their resources', () => {
    const registry = new Registry();
    on.startup({ registry }, function startup() {});
    on.validate('pods', { registry }, function check() {});
    expect(operatorNeeds(registry, catalog, options)).toEqual({
      resources: [],
      namespaces: { kind: 'cluster' },
      peering: false,
      webhooks: true,
    });
  });

  it('serves every resource of a group for EVERYTHING', () => {
    const registry = new Registry();
    on.event('kopf.dev', EVERYTHING, { registry }, function all() {});
    expect(operatorNeeds(registry, catalog, options).resources).toEqual([
      { group: 'kopf.dev', plural: '*', namespaced: false, status: true, patched: false },
    ]);
  });

  it('fails for a name that is neither built in nor in a given CRD, naming the handler and the fix', () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {});
    expect(() => operatorNeeds(registry, catalog, options)).toThrow(ResourceResolutionError);
    expect(() => operatorNeeds(registry, catalog, options)).toThrow(
      /'kopfexamples' of create handler 'create_fn' failed: .* pass its CRD manifest with --crd FILE/,
    );
  });
});
