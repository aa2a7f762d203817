import { describe, expect, it } from 'vitest';
import { builtinTypes } from './builtins.js';
import { compareVersions, ResourceRegistry } from './registry.js';

describe('compareVersions', () => {
  it('orders GA before beta before alpha, higher first, as kube-apiserver prefers them', () => {
    expect(['v1alpha1', 'v1beta1', 'v1', 'v2beta2', 'v2', 'foo'].sort(compareVersions)).toEqual([
      'v2',
      'v1',
      'v2beta2',
      'v1beta1',
      'v1alpha1',
      'foo',
    ]);
  });
});

describe('ResourceRegistry', () => {
  it('looks up built-ins, lists groups with the core group first, and reports changes', () => {
    const registry = new ResourceRegistry(builtinTypes());
    expect(registry.lookup('apps', 'v1', 'deployments')?.kind).toBe('Deployment');
    expect(registry.groups()[0]).toEqual({ name: '', versions: ['v1'] });
    let changes = 0;
    registry.onChange(() => {
      changes += 1;
    });
    const custom = {
      ...(registry.lookup('', 'v1', 'configmaps') as never as Record<string, unknown>),
      group: 'kopf.dev',
      plural: 'kopfexamples',
      storage: 'kopf.dev/kopfexamples',
    };
    registry.setCustomTypes([custom as never]);
    expect(changes).toBe(1);
    expect(registry.lookup('kopf.dev', 'v1', 'kopfexamples')).toBeDefined();
    expect(registry.servesGroupVersion('kopf.dev', 'v1')).toBe(true);
  });

  it('picks one type per storage for controllers, the one at the storage version', () => {
    const registry = new ResourceRegistry(builtinTypes());
    const events = registry.storageTypes().filter((type) => type.storage === '/events');
    expect(events.map((type) => type.group)).toEqual(['']);
  });
});
