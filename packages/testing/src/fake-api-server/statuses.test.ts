import { describe, expect, it } from 'vitest';
import { conflict, notFound } from './statuses.js';

describe('notFound', () => {
  it('names the group-qualified resource as kube-apiserver does', () => {
    expect(notFound('kopf.dev', 'kopfexamples', 'x').status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'kopfexamples.kopf.dev "x" not found',
      reason: 'NotFound',
      details: { name: 'x', group: 'kopf.dev', kind: 'kopfexamples' },
      code: 404,
    });
  });

  it('uses the bare plural for the core group', () => {
    expect(notFound('', 'configmaps', 'x').message).toBe('configmaps "x" not found');
  });
});

describe('conflict', () => {
  it('carries the exact optimistic-concurrency message', () => {
    expect(conflict('kopf.dev', 'kopfexamples', 'x').message).toMatch(
      /^Operation cannot be fulfilled on kopfexamples.kopf.dev "x": the object has been modified/,
    );
  });
});
