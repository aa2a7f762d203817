import { describe, expect, it } from 'vitest';
import {
  AdmissionChain,
  type AdmissionRequest,
  customResourceTerminating,
  namespaceLifecycle,
} from './admission.js';
import { builtinTypes } from './builtins.js';
import type { ResourceType } from './kinds.js';
import type { StatusError } from './statuses.js';

const types = builtinTypes();
const configmaps = types.find((type) => type.plural === 'configmaps') as ResourceType;
const namespaces = types.find((type) => type.plural === 'namespaces') as ResourceType;
const existing: Record<string, Record<string, unknown>> = {
  live: { metadata: { name: 'live' } },
  dying: { metadata: { name: 'dying', deletionTimestamp: '2026-01-01T00:00:00Z' } },
};
const chain = new AdmissionChain([namespaceLifecycle((name) => existing[name]), customResourceTerminating]);

function request(overrides: Partial<AdmissionRequest>): AdmissionRequest {
  return {
    operation: 'CREATE',
    type: configmaps,
    namespace: 'live',
    name: 'x',
    subresource: '',
    dryRun: false,
    ...overrides,
  };
}

async function rejection(overrides: Partial<AdmissionRequest>): Promise<StatusError | undefined> {
  try {
    await chain.validate(request(overrides));
    await chain.mutate(request(overrides));
  } catch (error) {
    return error as StatusError;
  }
  return undefined;
}

describe('NamespaceLifecycle', () => {
  it('admits content in live namespaces and updates anywhere', async () => {
    expect(await rejection({})).toBeUndefined();
    expect(await rejection({ operation: 'UPDATE', namespace: 'dying' })).toBeUndefined();
  });

  it('answers 404 for a missing namespace and 403 NamespaceTerminating for a dying one', async () => {
    expect((await rejection({ namespace: 'nowhere' }))?.status).toMatchObject({
      code: 404,
      message: 'namespaces "nowhere" not found',
    });
    expect((await rejection({ namespace: 'dying' }))?.status).toMatchObject({
      code: 403,
      details: { causes: [{ reason: 'NamespaceTerminating' }] },
    });
  });

  it('protects default, kube-system and kube-public from deletion', async () => {
    expect(
      (
        await rejection({
          operation: 'DELETE',
          type: namespaces,
          namespace: 'kube-system',
          name: 'kube-system',
        })
      )?.code,
    ).toBe(403);
    expect(
      await rejection({ operation: 'DELETE', type: namespaces, namespace: 'live', name: 'live' }),
    ).toBeUndefined();
  });
});

describe('customResourceTerminating', () => {
  it('answers 405 for new objects of a terminating CRD', async () => {
    expect((await rejection({ type: { ...configmaps, terminating: true } }))?.code).toBe(405);
  });
});

describe('AdmissionChain', () => {
  it('runs mutations in order, each seeing the previous result', async () => {
    const chained = new AdmissionChain([
      { name: 'a', mutate: (r) => ({ ...r.object, a: 1 }) },
      { name: 'b', mutate: (r) => ({ ...r.object, b: (r.object?.a as number) + 1 }) },
    ]);
    expect(await chained.mutate(request({ object: {} }))).toEqual({ a: 1, b: 2 });
  });
});
