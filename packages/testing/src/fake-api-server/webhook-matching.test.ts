import { describe, expect, it } from 'vitest';
import type { Webhook, WebhookRule } from './webhook-configurations.js';
import { rulesMatch, selectorMatches, selectorsMatch } from './webhook-matching.js';

const target = {
  operation: 'UPDATE',
  group: 'kopf.dev',
  version: 'v1',
  resource: 'kopfexamples',
  subresource: '',
  namespace: 'default',
};

function rule(overrides: Partial<WebhookRule>): WebhookRule {
  return {
    operations: ['*'],
    apiGroups: ['*'],
    apiVersions: ['*'],
    resources: ['*'],
    scope: '*',
    ...overrides,
  };
}

describe('rulesMatch', () => {
  it('matches operations, groups, versions and resources, with *', () => {
    expect(rulesMatch([rule({})], target)).toBe(true);
    expect(rulesMatch([rule({ operations: ['CREATE'] })], target)).toBe(false);
    expect(rulesMatch([rule({ apiGroups: ['apps'] })], target)).toBe(false);
    expect(rulesMatch([rule({ apiVersions: ['v2'] })], target)).toBe(false);
    expect(rulesMatch([rule({ resources: ['configmaps'] })], target)).toBe(false);
  });

  it('matches subresources only when named: res/sub, */sub, res/* and */*', () => {
    const status = { ...target, subresource: 'status' };
    expect(rulesMatch([rule({ resources: ['*'] })], status)).toBe(false);
    expect(rulesMatch([rule({ resources: ['kopfexamples'] })], status)).toBe(false);
    expect(rulesMatch([rule({ resources: ['kopfexamples/status'] })], status)).toBe(true);
    expect(rulesMatch([rule({ resources: ['*/status'] })], status)).toBe(true);
    expect(rulesMatch([rule({ resources: ['kopfexamples/*'] })], status)).toBe(true);
    expect(rulesMatch([rule({ resources: ['*/*'] })], status)).toBe(true);
    expect(rulesMatch([rule({ resources: ['kopfexamples/*'] })], target)).toBe(true);
  });

  it('matches scope: namespaces are cluster-scoped', () => {
    expect(rulesMatch([rule({ scope: 'Namespaced' })], target)).toBe(true);
    expect(rulesMatch([rule({ scope: 'Cluster' })], target)).toBe(false);
    const namespace = { ...target, group: '', resource: 'namespaces', namespace: 'dev' };
    expect(rulesMatch([rule({ scope: 'Cluster' })], namespace)).toBe(true);
    expect(rulesMatch([rule({ scope: 'Namespaced' })], namespace)).toBe(false);
  });
});

describe('selectors', () => {
  it('match labels and expressions (In, NotIn, Exists, DoesNotExist)', () => {
    const labels = { tier: 'web', env: 'prod' };
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { tier: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { tier: 'db' } }, labels)).toBe(false);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, labels),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels),
    ).toBe(false);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['y'] }] }, labels),
    ).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, labels)).toBe(
      true,
    );
  });

  it('take the object selector from either the new or the old object; cluster-scoped skips the namespace selector', () => {
    const webhook = {
      namespaceSelector: { matchLabels: { watched: 'yes' } },
      objectSelector: { matchLabels: { app: 'a' } },
    } as unknown as Webhook;
    const inputs = {
      namespaceLabels: { watched: 'yes' },
      objectLabels: { app: 'b' },
      oldObjectLabels: { app: 'a' },
    };
    expect(selectorsMatch(webhook, inputs)).toBe(true);
    expect(selectorsMatch(webhook, { ...inputs, oldObjectLabels: undefined })).toBe(false);
    expect(selectorsMatch(webhook, { ...inputs, namespaceLabels: {} })).toBe(false);
    expect(selectorsMatch(webhook, { ...inputs, namespaceLabels: undefined })).toBe(true);
  });
});
