import { describe, expect, it } from 'vitest';
import type { PackedPackage } from './packing.js';
import { scratchEnvironment, scratchManifest, UnknownPackageError } from './projects.js';

const packed: PackedPackage[] = ['core', 'k8s', 'reactor', 'testing'].map((name) => ({
  name: `@kopf/${name}`,
  version: '0.1.0',
  directory: `/repo/packages/${name}`,
  tarball: `/tmp/tarballs/kopf-${name}-0.1.0.tgz`,
  files: [],
}));

describe('scratchManifest', () => {
  it('names only the requested packages; the others are overrides, installed only when depended on', () => {
    const manifest = scratchManifest('smoke', ['@kopf/testing'], packed);
    expect(manifest.dependencies).toEqual({ '@kopf/testing': 'file:/tmp/tarballs/kopf-testing-0.1.0.tgz' });
    expect(manifest.overrides).toEqual({
      '@kopf/core': 'file:/tmp/tarballs/kopf-core-0.1.0.tgz',
      '@kopf/k8s': 'file:/tmp/tarballs/kopf-k8s-0.1.0.tgz',
      '@kopf/reactor': 'file:/tmp/tarballs/kopf-reactor-0.1.0.tgz',
    });
    expect(manifest).toMatchObject({ name: 'smoke', private: true, type: 'module', devDependencies: {} });
  });

  it('adds tools from the registry as dev dependencies', () => {
    const manifest = scratchManifest('smoke', ['@kopf/core'], packed, { typescript: '5.9.3' });
    expect(manifest.devDependencies).toEqual({ typescript: '5.9.3' });
    expect(manifest.dependencies).toEqual({ '@kopf/core': 'file:/tmp/tarballs/kopf-core-0.1.0.tgz' });
  });

  it('fails on a package that was not packed, naming what was', () => {
    expect(() => scratchManifest('smoke', ['@kopf/cli'], packed)).toThrow(UnknownPackageError);
    expect(() => scratchManifest('smoke', ['@kopf/cli'], packed)).toThrow(
      /@kopf\/cli was not packed.*@kopf\/core/,
    );
  });
});

describe('scratchEnvironment', () => {
  it("drops what npm sets for the repository's scripts and keeps the rest", () => {
    const env = scratchEnvironment({
      PATH: '/usr/bin',
      INIT_CWD: '/repo',
      npm_config_local_prefix: '/repo',
      npm_config_registry: 'https://mirror.example/',
      npm_package_name: 'kopf-ts',
      npm_lifecycle_event: 'pack:smoke',
    });
    expect(env).toEqual({ PATH: '/usr/bin', npm_config_registry: 'https://mirror.example/' });
  });
});
