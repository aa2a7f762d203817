import { describe, expect, it } from 'vitest';
import { matchNamespace, matchNamespacePattern, specificNamespaces } from './namespaces.js';

describe('matchNamespacePattern', () => {
  it('matches plain names and globs in full', () => {
    expect(matchNamespacePattern('default', 'default')).toBe(true);
    expect(matchNamespacePattern('default', 'default2')).toBe(false);
    expect(matchNamespacePattern('team-*', 'team-a')).toBe(true);
    expect(matchNamespacePattern('team-*', 'my-team-a')).toBe(false);
    expect(matchNamespacePattern('ns-?', 'ns-1')).toBe(true);
    expect(matchNamespacePattern('ns-?', 'ns-12')).toBe(false);
    expect(matchNamespacePattern('ns-[ab]', 'ns-b')).toBe(true);
    expect(matchNamespacePattern('ns-[!ab]', 'ns-b')).toBe(false);
    expect(matchNamespacePattern('ns-[!ab]', 'ns-c')).toBe(true);
    expect(matchNamespacePattern('a.b', 'axb')).toBe(false);
  });

  it("follows Kopf's rule: later inclusive globs re-match only what the first one matched", () => {
    const pattern = 'myapp-*, !*-pr-*, *pr-123';
    expect(matchNamespacePattern(pattern, 'myapp-test')).toBe(true);
    expect(matchNamespacePattern(pattern, 'myapp-pr-123')).toBe(true);
    expect(matchNamespacePattern(pattern, 'myapp-pr-456')).toBe(false);
    expect(matchNamespacePattern(pattern, 'otherapp-pr-123')).toBe(false);
  });

  it('implies a leading catch-all when the first glob is a negation', () => {
    const pattern = '!*-pr-*, *pr-123';
    expect(matchNamespacePattern(pattern, 'anyapp-anything')).toBe(true);
    expect(matchNamespacePattern(pattern, 'otherapp-pr-123')).toBe(true);
    expect(matchNamespacePattern(pattern, 'myapp-pr-456')).toBe(false);
    expect(matchNamespacePattern('!kube-*', 'kube-system')).toBe(false);
    expect(matchNamespacePattern('!kube-*', 'default')).toBe(true);
  });

  it('matches regular expressions against the whole name', () => {
    expect(matchNamespacePattern(/team-\d+/, 'team-42')).toBe(true);
    expect(matchNamespacePattern(/team-\d+/, 'xteam-42')).toBe(false);
    expect(matchNamespacePattern(/team-\d+/, 'team-42x')).toBe(false);
  });
});

describe('matchNamespace', () => {
  it('matches when any of several patterns matches', () => {
    expect(matchNamespace(['a', 'b-*'], 'b-1')).toBe(true);
    expect(matchNamespace(['a', 'b-*'], 'c')).toBe(false);
    expect(matchNamespace([], 'c')).toBe(false);
  });
});

describe('specificNamespaces', () => {
  it('keeps plain names only', () => {
    expect(specificNamespaces(['default', 'team-*', '!x', 'a,b', /re/, 'prod'])).toEqual(['default', 'prod']);
  });
});
