import { asap, type Body, on, PermanentError, Registry, type Resource, TemporaryError } from '@kopf/core';
import { FakeClock } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { indexEntries, OperatorIndexes } from './indexes.js';
import { type IndexingContext, type IndexingMemory, indexObject } from './indexing.js';
import { createLogger } from './loggers.js';
import { MemorySink } from './logging.js';
import { resolveSettings } from './settings.js';

const resource = { plural: 'pods', version: 'v1', group: '' } as Resource;

function pod(name: string, labels: Record<string, string>, uid = `uid-${name}`): Body {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid, labels } };
}

function setup(registry: Registry) {
  const ids = registry.ofKind('index').map((handler) => handler.id);
  const indexes = new OperatorIndexes(ids);
  const clock = new FakeClock();
  const context: IndexingContext = {
    indexes,
    handlers: registry.forResource(() => true),
    resource,
    logger: createLogger({ sink: new MemorySink() }),
    memo: {},
    view: indexes.view,
    execution: { settings: resolveSettings(), clock, lifecycle: asap },
  };
  return { indexes, clock, context };
}

const values = (store: Iterable<unknown> | undefined) => [...(store ?? [])];

describe('OperatorIndex', () => {
  it('replaces an object contribution and drops emptied keys; array keys compare by value', () => {
    const indexes = new OperatorIndexes(['idx']);
    const index = indexes.get('idx');
    index?.replace('a', [[['ns', 'x'], 1]]);
    index?.replace('b', [[['ns', 'x'], 2]]);
    expect(values(index?.get(['ns', 'x']))).toEqual([1, 2]);
    index?.replace('a', [['other', 3]]);
    expect(values(index?.get(['ns', 'x']))).toEqual([2]);
    indexes.discard('b');
    expect(index?.has(['ns', 'x'])).toBe(false);
    expect([...(index?.keys() ?? [])]).toEqual(['other']);
  });

  it('reads results as Kopf does: maps, plain objects, other values under null, nothing for undefined', () => {
    expect(indexEntries(new Map([[['a', 1], 'v']]))).toEqual([[['a', 1], 'v']]);
    expect(indexEntries({ k: 'v' })).toEqual([['k', 'v']]);
    expect(indexEntries('value')).toEqual([[null, 'value']]);
    expect(indexEntries([1, 2])).toEqual([[null, [1, 2]]]);
    expect(indexEntries(undefined)).toEqual([]);
  });
});

describe('indexObject', () => {
  it('indexes creations and updates, and forgets deletions and mismatches', async () => {
    const registry = new Registry();
    on.index('pods', { registry, labels: { app: 'web' } }, function byApp({ name, labels }) {
      return { [labels.app ?? '']: name };
    });
    const { indexes, context } = setup(registry);
    const memory: IndexingMemory = { state: undefined };
    await indexObject('ADDED', pod('p1', { app: 'web' }), memory, context);
    await indexObject(null, pod('p2', { app: 'web' }), { state: undefined }, context);
    expect(values(indexes.view.byApp?.get('web'))).toEqual(['p1', 'p2']);
    await indexObject('MODIFIED', pod('p1', { app: 'db' }), memory, context);
    expect(values(indexes.view.byApp?.get('web'))).toEqual(['p2']);
    await indexObject('DELETED', pod('p2', { app: 'web' }), memory, context);
    expect(indexes.view.byApp?.size).toBe(0);
  });

  it('keeps stale values on ignored errors, removes them on temporary ones until the delay passes', async () => {
    const registry = new Registry();
    let mode: 'ok' | 'crash' | 'temporary' = 'ok';
    on.index('pods', { registry }, function byName({ name }) {
      if (mode === 'crash') throw new Error('boom');
      if (mode === 'temporary') throw new TemporaryError('later', { delay: 10 });
      return name;
    });
    const { indexes, clock, context } = setup(registry);
    const memory: IndexingMemory = { state: undefined };
    const body = pod('p1', {});
    await indexObject('ADDED', body, memory, context);
    mode = 'crash';
    await indexObject('MODIFIED', body, memory, context);
    expect(values(indexes.view.byName?.get(null))).toEqual(['p1']);
    mode = 'temporary';
    await indexObject('MODIFIED', body, memory, context);
    expect(indexes.view.byName?.size).toBe(0);
    mode = 'ok';
    await indexObject('MODIFIED', body, memory, context);
    expect(indexes.view.byName?.size).toBe(0);
    await clock.advance(10_000);
    await indexObject('MODIFIED', body, memory, context);
    expect(values(indexes.view.byName?.get(null))).toEqual(['p1']);
    expect(memory.state).toBeUndefined();
  });

  it('excludes an object for good after a permanent error', async () => {
    const registry = new Registry();
    let fail = true;
    on.index('pods', { registry }, function byName({ name }) {
      if (fail) throw new PermanentError('never');
      return name;
    });
    const { indexes, context } = setup(registry);
    const memory: IndexingMemory = { state: undefined };
    await indexObject('ADDED', pod('p1', {}), memory, context);
    fail = false;
    await indexObject('MODIFIED', pod('p1', {}), memory, context);
    expect(indexes.view.byName?.size).toBe(0);
    await indexObject('ADDED', pod('p2', {}), { state: undefined }, context);
    expect(values(indexes.view.byName?.get(null))).toEqual(['p2']);
  });
});
