import { describe, expect, it } from 'vitest';
import type { Body, KubernetesObject } from './bodies.js';
import { runInHandlerContext } from './contexts.js';
import { HandlerContextError } from './errors.js';
import {
  adjustNamespace,
  adopt,
  appendOwnerReference,
  buildObjectReference,
  buildOwnerReference,
  harmonizeNaming,
  label,
  removeOwnerReference,
} from './hierarchies.js';

const owner: Body = {
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: { name: 'kex', namespace: 'ns1', uid: 'uid-1', labels: { app: 'web', tier: 'front' } },
};
const OWNER_REF = {
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  name: 'kex',
  uid: 'uid-1',
  controller: true,
  blockOwnerDeletion: true,
};

function job(): KubernetesObject & { spec: { template: KubernetesObject } } {
  return { apiVersion: 'batch/v1', kind: 'Job', spec: { template: { spec: {} } } };
}

describe('references', () => {
  it('builds object references without empty fields', () => {
    expect(buildObjectReference(owner)).toEqual({
      apiVersion: 'kopf.dev/v1',
      kind: 'KopfExample',
      name: 'kex',
      uid: 'uid-1',
      namespace: 'ns1',
    });
    expect(buildObjectReference({ kind: 'Node', metadata: { name: 'n1', namespace: '' } })).toEqual({
      kind: 'Node',
      name: 'n1',
    });
  });

  it('builds owner references, and refuses owners that were never stored', () => {
    expect(buildOwnerReference(owner)).toEqual(OWNER_REF);
    expect(buildOwnerReference(owner, { controller: false, blockOwnerDeletion: false })).toMatchObject({
      controller: false,
      blockOwnerDeletion: false,
    });
    expect(() => buildOwnerReference({ kind: 'X', metadata: { name: 'x' } })).toThrow(
      /lacks apiVersion, metadata\.uid/,
    );
  });

  it('appends an owner reference once and removes it by uid', () => {
    const child = job();
    appendOwnerReference(child, { owner });
    appendOwnerReference([child], { owner });
    expect(child.metadata?.ownerReferences).toEqual([OWNER_REF]);
    removeOwnerReference(child, { owner });
    expect(child.metadata?.ownerReferences).toEqual([]);
  });
});

describe('adopt and friends', () => {
  it('adopts: owner reference, generated name, namespace and labels from the handled object', () => {
    const child = job();
    runInHandlerContext({ body: owner }, () => adopt(child, { nested: 'spec.template' }));
    expect(child.metadata).toEqual({
      ownerReferences: [OWNER_REF],
      generateName: 'kex-',
      namespace: 'ns1',
      labels: { app: 'web', tier: 'front' },
    });
    expect(child.spec.template.metadata?.labels).toEqual({ app: 'web', tier: 'front' });
  });

  it('keeps what children already have unless forced; strict naming uses the name as is', () => {
    const named: KubernetesObject = { metadata: { name: 'mine', namespace: 'other', labels: { app: 'db' } } };
    adopt(named, { owner });
    expect(named.metadata).toMatchObject({
      name: 'mine',
      namespace: 'other',
      labels: { app: 'db', tier: 'front' },
    });
    adopt(named, { owner, forced: true, strict: true });
    expect(named.metadata).toMatchObject({
      name: 'kex',
      namespace: 'ns1',
      labels: { app: 'web', tier: 'front' },
    });
    expect(named.metadata?.generateName).toBeUndefined();
  });

  it('labels, names and moves several objects with explicit values', () => {
    const children: KubernetesObject[] = [{}, { metadata: { generateName: 'x-' } }];
    label(children, { 'parent-name': 'kex' });
    harmonizeNaming(children, 'parent');
    adjustNamespace(children, 'ns2');
    expect(children.map((c) => c.metadata)).toEqual([
      { labels: { 'parent-name': 'kex' }, generateName: 'parent-', namespace: 'ns2' },
      { labels: { 'parent-name': 'kex' }, generateName: 'x-', namespace: 'ns2' },
    ]);
  });

  it('labels nested templates given as several paths, skipping absent ones', () => {
    const child = job();
    label(child, { a: 'b' }, { nested: ['spec.template', ['spec', 'missing']] });
    expect([child.metadata?.labels, child.spec.template.metadata?.labels]).toEqual([{ a: 'b' }, { a: 'b' }]);
  });

  it('needs an explicit owner outside of a handler', () => {
    expect(() => adopt(job())).toThrow(HandlerContextError);
    expect(() => label(job())).toThrow(
      /label\(\): the owner is unknown outside of a handler; pass it explicitly/,
    );
    expect(() => harmonizeNaming(job(), undefined)).toThrow(HandlerContextError);
  });
});
