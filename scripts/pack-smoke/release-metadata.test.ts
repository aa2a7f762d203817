import { describe, expect, it } from 'vitest';
import { changelogProblems, versionProblems } from './release-metadata.js';

describe('versionProblems', () => {
  const core = { name: '@kopf/core', version: '0.2.0' };

  it('accepts packages at the lerna version pinning each other exactly', () => {
    const k8s = {
      name: '@kopf/k8s',
      version: '0.2.0',
      dependencies: { '@kopf/core': '0.2.0', yaml: '^2.0.0' },
    };
    expect(versionProblems('0.2.0', [core, k8s])).toEqual([]);
  });

  it('names a package left behind and a sibling pinned loosely', () => {
    const k8s = { name: '@kopf/k8s', version: '0.1.0', dependencies: { '@kopf/core': '^0.2.0' } };
    expect(versionProblems('0.2.0', [core, k8s])).toEqual([
      '@kopf/k8s is at 0.1.0, lerna.json at 0.2.0: version all packages together with `npx lerna version`.',
      '@kopf/k8s depends on @kopf/core@^0.2.0, not on exactly 0.2.0: set it to "0.2.0" (lerna version does this).',
    ]);
  });
});

describe('changelogProblems', () => {
  it('finds the section of the version, with or without brackets and a date', () => {
    expect(changelogProblems('0.1.0', '# Changelog\n\n## 0.1.0 (unreleased)\n')).toEqual([]);
    expect(changelogProblems('1.2.3', '## [1.2.3] - 2027-01-01\n')).toEqual([]);
  });

  it('fails when only another version has a section', () => {
    expect(changelogProblems('0.1.1', '## 0.1.0 (2026-11-25)\n## 0.1.10\n')).toEqual([
      'CHANGELOG.md has no section for 0.1.1: add "## 0.1.1 (YYYY-MM-DD)" listing what changed.',
    ]);
  });
});
