import { describe, expect, it } from 'vitest';
import { builtinTypes } from './builtins.js';
import { parseFieldSelector } from './field-selectors.js';
import type { StoreChange } from './history.js';
import type { ResourceType } from './kinds.js';
import { parseLabelSelector } from './label-selectors.js';
import { eventFor, parseWatchQuery } from './watching.js';

const configmaps = builtinTypes().find((type) => type.plural === 'configmaps') as ResourceType;
const selection = { namespace: 'ns', labels: parseLabelSelector('app=web'), fields: parseFieldSelector('') };
const object = (app: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', namespace: 'ns', labels: { app } },
});

function change(type: StoreChange['type'], after: string, before?: string): StoreChange {
  return {
    type,
    storage: '/configmaps',
    key: 'ns/x',
    resourceVersion: 2,
    object: object(after),
    ...(before ? { previous: object(before) } : {}),
  };
}

describe('eventFor', () => {
  it.each([
    ['ADDED', 'web', undefined, 'ADDED'],
    ['ADDED', 'db', undefined, undefined],
    ['MODIFIED', 'web', 'web', 'MODIFIED'],
    ['MODIFIED', 'web', 'db', 'ADDED'],
    ['MODIFIED', 'db', 'web', 'DELETED'],
    ['MODIFIED', 'db', 'db', undefined],
    ['DELETED', 'web', 'web', 'DELETED'],
    ['DELETED', 'db', 'db', undefined],
  ] as const)('%s from %s (was %s) is seen as %s', (type, after, before, expected) => {
    expect(eventFor(configmaps, selection, change(type, after, before))?.type).toBe(expected);
  });

  it('ignores other namespaces', () => {
    expect(
      eventFor(configmaps, { ...selection, namespace: 'other' }, change('ADDED', 'web')),
    ).toBeUndefined();
  });
});

describe('parseWatchQuery', () => {
  it('reads bookmarks, timeouts and sendInitialEvents', () => {
    const params = new URLSearchParams(
      'allowWatchBookmarks=true&timeoutSeconds=30&resourceVersion=5&sendInitialEvents=true&resourceVersionMatch=NotOlderThan',
    );
    expect(parseWatchQuery(configmaps, 'ns', params)).toMatchObject({
      allowBookmarks: true,
      timeoutSeconds: 30,
      resourceVersion: '5',
      sendInitialEvents: true,
    });
    expect(parseWatchQuery(configmaps, 'ns', new URLSearchParams(''))).not.toHaveProperty(
      'sendInitialEvents',
    );
  });

  it('rejects a non-numeric resourceVersion and sendInitialEvents without NotOlderThan', () => {
    expect(() => parseWatchQuery(configmaps, 'ns', new URLSearchParams('resourceVersion=abc'))).toThrow(
      /resourceVersion/,
    );
    expect(() => parseWatchQuery(configmaps, 'ns', new URLSearchParams('sendInitialEvents=true'))).toThrow(
      /sendInitialEvents/,
    );
  });
});
