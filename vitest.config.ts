import { transform } from 'esbuild';
import { defaultServerConditions, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

/**
 * Tests import sibling packages from their sources (the `@kopf/source` export
 * condition), so `npm test` needs no build step; `npm run build` and the CI still
 * compile everything as a user would consume it.
 *
 * TypeScript goes through esbuild rather than vite's default (oxc), because oxc
 * does not lower standard decorators, which Node 20 cannot run natively and which
 * operators may use on class methods (`@on.create(...)`).
 */
const esbuildTypeScript: Plugin = {
  name: 'kopf:esbuild-typescript',
  enforce: 'pre',
  async transform(code, id) {
    if (!/\.[cm]?ts$/.test(id.split('?')[0] ?? '')) return null;
    const result = await transform(code, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcemap: true,
      sourcefile: id,
    });
    return { code: result.code, map: result.map };
  },
};

const conditions = ['@kopf/source', ...defaultServerConditions];

export default defineConfig({
  oxc: false,
  plugins: [esbuildTypeScript],
  ssr: { resolve: { conditions } },
  test: {
    projects: projects.map((root) => ({
      extends: true,
      root,
      ssr: { resolve: { conditions } },
    })),
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
