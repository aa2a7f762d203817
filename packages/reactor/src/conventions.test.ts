import { Patch } from '@kopf/core';
import { describe, expect, it } from 'vitest';
import { detectKopfManagedPrefixes, storeKopfManagedMarker } from './conventions.js';

describe('detectKopfManagedPrefixes', () => {
  it('detects Kopf, its subdomains and marked prefixes', () => {
    const keys = [
      'kopf.zalando.org/create_fn',
      'sub.kopf.zalando.org/x',
      'sub.sub.kopf.zalando.org/x',
      'domain.tld/kopf-managed',
      'domain.tld/some-record',
      'unrelated.tld/x',
      'no-prefix',
    ];
    expect(detectKopfManagedPrefixes(keys)).toEqual(
      new Set(['kopf.zalando.org', 'sub.kopf.zalando.org', 'sub.sub.kopf.zalando.org', 'domain.tld']),
    );
  });

  it.each([
    'kopf-domain.tld',
    'kopf.domain.tld',
    'domain.tld.kopf',
    'domain.tld-kopf',
    'domain.kopf.tld',
    'domain.kopf-tld',
    'domain-kopf.tld',
    'domain-kopf-tld',
    'xkopf.zalando.org',
  ])('ignores %s, which merely mentions kopf', (prefix) => {
    expect(detectKopfManagedPrefixes([`${prefix}/x`]).size).toBe(0);
  });
});

describe('storeKopfManagedMarker', () => {
  it('marks a non-kopf prefix once', () => {
    const patch = new Patch();
    storeKopfManagedMarker('my-op.example.com', {}, patch);
    storeKopfManagedMarker('my-op.example.com', {}, patch);
    expect(patch.toMergePatch()).toEqual({
      metadata: { annotations: { 'my-op.example.com/kopf-managed': 'yes' } },
    });
  });

  it('does not mark kopf.* prefixes or already marked objects', () => {
    const patch = new Patch();
    storeKopfManagedMarker('kopf.zalando.org', {}, patch);
    storeKopfManagedMarker('kopf.dev', {}, patch);
    const marked = { metadata: { annotations: { 'my-op.example.com/kopf-managed': 'yes' } } };
    storeKopfManagedMarker('my-op.example.com', marked, patch);
    expect(patch.isEmpty).toBe(true);
  });
});
