import { describe, expect, it } from 'vitest';
import { nonModuleEntrypoints } from './entrypoints.js';

describe('nonModuleEntrypoints', () => {
  it('lists the subpaths that point at data files, not the modules or package.json', () => {
    const exports = {
      '.': { '@kopf/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
      './bin': { '@kopf/source': './src/entry.ts', default: './dist/entry.js' },
      './package.json': './package.json',
      './peering.yaml': './peering.yaml',
    };
    expect(nonModuleEntrypoints(exports)).toEqual(['./peering.yaml']);
  });

  it('follows nested conditions the way Node picks them for an import', () => {
    const exports = {
      './schema': { node: { import: './data/schema.yaml' } },
      './esm': { import: './dist/esm.mjs', require: './dist/cjs.cjs' },
    };
    expect(nonModuleEntrypoints(exports)).toEqual(['./schema']);
  });

  it('has nothing to skip for a string or missing exports field', () => {
    expect(nonModuleEntrypoints('./dist/index.js')).toEqual([]);
    expect(nonModuleEntrypoints(undefined)).toEqual([]);
  });
});
