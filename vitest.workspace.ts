/**
 * The test projects of the monorepo: one per package, plus the examples.
 *
 * vitest 3.2 reads this file on its own (with a deprecation notice); vitest 4 no
 * longer does, so `vitest.config.ts` imports this list as `test.projects`. Either
 * way this file stays the one place that names the projects.
 */
export default [
  'packages/core',
  'packages/k8s',
  'packages/reactor',
  'packages/testing',
  'packages/cli',
  'examples',
  'scripts',
];
