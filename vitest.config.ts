import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

/**
 * Tests import sibling packages from their sources (the `@kopf/source` export
 * condition), so `npm test` needs no build step; `npm run build` and the CI still
 * compile everything as a user would consume it.
 */
export default defineConfig({
  ssr: { resolve: { conditions: ['@kopf/source', ...defaultServerConditions] } },
  test: {
    projects: projects.map((root) => ({
      extends: true,
      root,
      ssr: { resolve: { conditions: ['@kopf/source', ...defaultServerConditions] } },
    })),
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
