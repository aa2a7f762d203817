import type { Resource } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { isSpecific, resolveResources, selectResources } from './selecting.js';

function resource(
  fields: Partial<Resource> & Pick<Resource, 'group' | 'version' | 'plural' | 'kind'>,
): Resource {
  return {
    singular: fields.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    namespaced: true,
    subresources: [],
    verbs: ['list', 'watch', 'patch'],
    preferred: true,
    ...fields,
  };
}

const kexV1 = resource({
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  kind: 'KopfExample',
  shortNames: ['kopfexes', 'kex'],
  categories: ['all', 'kopf'],
  subresources: ['status'],
});
const kexV2 = { ...kexV1, version: 'v2beta1', preferred: false };
const kexZalando = { ...kexV1, group: 'zalando.org' };
const pods = resource({
  group: '',
  version: 'v1',
  plural: 'pods',
  kind: 'Pod',
  shortNames: ['po'],
  categories: ['all'],
});
const metricsPods = resource({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  plural: 'pods',
  kind: 'PodMetrics',
});
const events = resource({ group: '', version: 'v1', plural: 'events', kind: 'Event', shortNames: ['ev'] });
const newEvents = resource({ group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event' });
const nodes = resource({ group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false });

const all = [kexV1, kexV2, pods, metricsPods, events, newEvents, nodes];
const names = (list: Resource[]) => list.map((r) => `${r.plural}.${r.version}.${r.group}`);

describe('resolveResources', () => {
  it('matches a name against the plural, singular, kind (any case) and short names', () => {
    for (const name of ['kopfexamples', 'kopfexample', 'KopfExample', 'kopfexample', 'kex', 'kopfexes']) {
      expect(names(resolveResources(all, { name }))).toEqual(['kopfexamples.v1.kopf.dev']);
    }
  });

  it('uses only preferred versions unless a version is given', () => {
    expect(names(resolveResources(all, { group: 'kopf.dev', name: 'kopfexamples' }))).toEqual([
      'kopfexamples.v1.kopf.dev',
    ]);
    expect(names(resolveResources(all, { group: 'kopf.dev', version: 'v2beta1', name: 'kex' }))).toEqual([
      'kopfexamples.v2beta1.kopf.dev',
    ]);
  });

  it('lets core v1 win over other groups for a specific name, as kubectl does', () => {
    expect(names(resolveResources(all, { name: 'pods' }))).toEqual(['pods.v1.']);
    expect(names(resolveResources(all, { group: 'metrics.k8s.io', name: 'pods' }))).toEqual([
      'pods.v1beta1.metrics.k8s.io',
    ]);
  });

  it('serves nothing for a specific name found in several non-core groups, and says so', () => {
    const selection = selectResources([...all, kexZalando], { name: 'kopfexamples' });
    expect(selection.resources).toEqual([]);
    expect(names(selection.ambiguous).sort()).toEqual([
      'kopfexamples.v1.kopf.dev',
      'kopfexamples.v1.zalando.org',
    ]);
  });

  it('matches categories without the core-v1 preference', () => {
    expect(names(resolveResources(all, { category: 'all' })).sort()).toEqual([
      'kopfexamples.v1.kopf.dev',
      'pods.v1.',
    ]);
  });

  it('excludes events from EVERYTHING and predicates unless named explicitly', () => {
    const everything = names(resolveResources(all, { everything: true }));
    expect(everything).not.toContain('events.v1.');
    expect(everything).not.toContain('events.v1.events.k8s.io');
    expect(everything).toContain('nodes.v1.');
    expect(names(resolveResources(all, { predicate: () => true }))).not.toContain('events.v1.');
    expect(names(resolveResources(all, { group: '', version: 'v1', name: 'events' }))).toEqual([
      'events.v1.',
    ]);
  });

  it('lets predicates see non-preferred versions', () => {
    expect(names(resolveResources(all, { predicate: (r) => r.group === 'kopf.dev' })).sort()).toEqual([
      'kopfexamples.v1.kopf.dev',
      'kopfexamples.v2beta1.kopf.dev',
    ]);
  });

  it('narrows EVERYTHING by group', () => {
    expect(names(resolveResources(all, { group: 'kopf.dev', everything: true }))).toEqual([
      'kopfexamples.v1.kopf.dev',
    ]);
  });
});

describe('isSpecific', () => {
  it('is true for names and false for categories, EVERYTHING and predicates', () => {
    expect([{ name: 'x' }, { kind: 'X' }, { shortcut: 'x' }].map(isSpecific)).toEqual([true, true, true]);
    expect([{ category: 'all' }, { everything: true }, { predicate: () => true }].map(isSpecific)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
