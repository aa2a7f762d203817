import { describe, expect, it } from 'vitest';
import { builtinTypes } from './builtins.js';
import { typesFromCrd } from './crds.js';
import type { ResourceType } from './kinds.js';
import { generatedSuffix, hasFinalizers, markDeleting, prepareCreate, prepareUpdate } from './write-rules.js';

const crd = {
  metadata: { name: 'kopfexamples.kopf.dev' },
  spec: {
    group: 'kopf.dev',
    scope: 'Namespaced',
    names: { kind: 'KopfExample', plural: 'kopfexamples' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: {} },
      },
    ],
  },
  status: { conditions: [{ type: 'Established', status: 'True' }] },
};
const kex = typesFromCrd(crd)[0] as ResourceType;
const configmaps = builtinTypes().find((type) => type.plural === 'configmaps') as ResourceType;
const now = new Date('2026-01-02T03:04:05.678Z');

const current = {
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: {
    name: 'x',
    namespace: 'ns',
    uid: 'u1',
    resourceVersion: '5',
    generation: 1,
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  spec: { a: 1 },
  status: { s: 1 },
};

describe('prepareCreate', () => {
  it('sets uid, creationTimestamp, generation 1, the namespace, and drops a subresource status', () => {
    const created = prepareCreate(
      kex,
      { metadata: { name: 'x', uid: 'forged', resourceVersion: '9' }, spec: {}, status: { s: 1 } },
      'ns',
      now,
    );
    expect(created.metadata).toMatchObject({
      name: 'x',
      namespace: 'ns',
      generation: 1,
      creationTimestamp: '2026-01-02T03:04:05Z',
    });
    expect((created.metadata as { uid: string }).uid).not.toBe('forged');
    expect(created.metadata).not.toHaveProperty('resourceVersion');
    expect(created).not.toHaveProperty('status');
  });

  it('generates a name from generateName with 5 characters of the real alphabet', () => {
    const created = prepareCreate(configmaps, { metadata: { generateName: 'kopf-event-' } }, 'ns', now);
    expect((created.metadata as { name: string }).name).toMatch(
      /^kopf-event-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
    expect(generatedSuffix()).toHaveLength(5);
    expect(created.metadata).not.toHaveProperty('generation');
  });
});

describe('prepareUpdate', () => {
  it('bumps the generation on spec changes only, keeping status on the main resource', () => {
    const spec = prepareUpdate(kex, '', current, { ...current, spec: { a: 2 }, status: { s: 99 } });
    expect(spec.object.metadata).toMatchObject({ generation: 2 });
    expect(spec.object.status).toEqual({ s: 1 });
    const labels = prepareUpdate(kex, '', current, {
      ...current,
      metadata: { ...current.metadata, labels: { l: 'v' } },
    });
    expect(labels.object.metadata).toMatchObject({ generation: 1, labels: { l: 'v' } });
  });

  it('writes only the status through /status, never bumping the generation', () => {
    const result = prepareUpdate(kex, 'status', current, {
      ...current,
      spec: { a: 2 },
      metadata: { ...current.metadata, labels: { l: 'v' } },
      status: { s: 2 },
    });
    expect(result.object).toEqual({ ...current, status: { s: 2 } });
  });

  it('forbids new finalizers while the object is being deleted', () => {
    const deleting = {
      ...current,
      metadata: { ...current.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['a/b'] },
    };
    const result = prepareUpdate(kex, '', deleting, {
      ...deleting,
      metadata: { ...deleting.metadata, finalizers: ['a/b', 'c/d'] },
    });
    expect(result.errors).toEqual([
      {
        type: 'FieldValueForbidden',
        field: 'metadata.finalizers',
        detail:
          'no new finalizers can be added if the object is being deleted, found new finalizers []string{"c/d"}',
      },
    ]);
  });

  it('keeps system metadata and rejects a changed uid', () => {
    const result = prepareUpdate(kex, '', current, { ...current, metadata: { name: 'x', uid: 'other' } });
    expect(result.errors.map((error) => error.field)).toEqual(['metadata.uid']);
    const kept = prepareUpdate(kex, '', current, { ...current, metadata: { name: 'x' } });
    expect(kept.object.metadata).toMatchObject({
      uid: 'u1',
      creationTimestamp: '2026-01-01T00:00:00Z',
      generation: 1,
      namespace: 'ns',
    });
  });
});

describe('markDeleting and hasFinalizers', () => {
  it('sets the deletion timestamp and grace period and bumps the generation once', () => {
    const marked = markDeleting(kex, current, now);
    expect(marked.metadata).toMatchObject({
      deletionTimestamp: '2026-01-02T03:04:05Z',
      deletionGracePeriodSeconds: 0,
      generation: 2,
    });
  });

  it('counts a namespace spec finalizer as holding the object', () => {
    const namespaces = builtinTypes().find((type) => type.plural === 'namespaces') as ResourceType;
    expect(hasFinalizers(namespaces, { metadata: {}, spec: { finalizers: ['kubernetes'] } })).toBe(true);
    expect(hasFinalizers(namespaces, { metadata: {}, spec: { finalizers: [] } })).toBe(false);
    expect(hasFinalizers(kex, { metadata: { finalizers: ['x'] } })).toBe(true);
  });
});
