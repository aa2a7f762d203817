import { describe, expect, it } from 'vitest';
import type { Body } from './bodies.js';
import type { ChangingCause, WebhookCause } from './causes.js';
import type { Diff } from './diffs.js';
import type { Logger } from './loggers.js';
import { on } from './on.js';
import { Patch } from './patches.js';
import type { BodyEssence, Reason } from './persistence.js';
import { getDefaultRegistry, Registry, setDefaultRegistry } from './registry.js';
import { parseSelector, type Resource, sameSelector } from './resources.js';

const logger = {} as Logger;
const resource = { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples' } as Resource;
const body: Body = { metadata: { name: 'kex', labels: { app: 'web' } }, spec: { x: 1 } };

function cause(reason: Reason, overrides: Partial<ChangingCause> = {}): ChangingCause {
  const diff: Diff =
    reason === 'update' ? [{ operation: 'change', field: ['spec', 'x'], old: 0, new: 1 }] : [];
  const old: BodyEssence | undefined =
    reason === 'create' ? undefined : reason === 'update' ? { spec: { x: 0 } } : { spec: { x: 1 } };
  return {
    resource,
    body,
    patch: new Patch(),
    logger,
    memo: {},
    indexes: {},
    reason,
    initial: false,
    diff,
    old,
    new: { spec: { x: 1 } },
    ...overrides,
  };
}

const deleting: Body = { ...body, metadata: { ...body.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };

/** A registry where every handler serves kopfexamples; the resource match accepts its selector. */
function setup(): { registry: Registry; ids: (handlers: readonly { id: string }[]) => string[] } {
  return { registry: new Registry(), ids: (handlers) => handlers.map((handler) => handler.id) };
}
const kopfexamples = (selector: Parameters<typeof sameSelector>[0]): boolean =>
  sameSelector(selector, parseSelector(['kopfexamples']));

describe('ResourceHandlers.changing', () => {
  function changingRegistry(): Registry {
    const registry = new Registry();
    on.create('kopfexamples', { registry, id: 'create' }, () => {});
    on.update('kopfexamples', { registry, id: 'update' }, () => {});
    on.delete('kopfexamples', { registry, id: 'delete' }, () => {});
    on.resume('kopfexamples', { registry, id: 'resume' }, () => {});
    on.field('kopfexamples', { registry, id: 'field', field: 'spec.x' }, () => {});
    on.create('pods', { registry, id: 'pods' }, () => {});
    return registry;
  }

  it.each([
    ['create', cause('create'), ['create', 'field/spec.x']],
    ['update', cause('update'), ['update', 'field/spec.x']],
    [
      'update of an initial object (resume mixed in)',
      cause('update', { initial: true }),
      ['update', 'resume', 'field/spec.x'],
    ],
    ['resume', cause('resume', { initial: true }), ['resume']],
    ['delete (resume not mixed in)', cause('delete', { initial: true, body: deleting }), ['delete']],
  ])('selects Kopf’s handlers for %s', (_, changing, expected) => {
    const { ids } = setup();
    const handlers = changingRegistry().forResource(kopfexamples);
    expect(ids(handlers.changing(changing))).toEqual(expected);
  });

  it('mixes resume handlers into deletion only with deleted: true', () => {
    const registry = changingRegistry();
    on.resume('kopfexamples', { registry, id: 'resume-deleted', deleted: true }, () => {});
    const handlers = registry.forResource(kopfexamples);
    const ids = handlers.changing(cause('delete', { initial: true, body: deleting })).map((h) => h.id);
    expect(ids).toEqual(['delete', 'resume-deleted']);
  });

  it('runs a function stacked as create+resume once per cause, and skips excluded ids', () => {
    const registry = new Registry();
    function both(): void {}
    on.update('kopfexamples', { registry }, both);
    on.resume('kopfexamples', { registry }, both);
    on.update('kopfexamples', { registry, id: 'other' }, () => {});
    const handlers = registry.forResource(kopfexamples);
    const updating = cause('update', { initial: true });
    expect(handlers.changing(updating).map((h) => `${h.kind}:${h.id}`)).toEqual([
      'update:both',
      'update:other',
    ]);
    expect(handlers.changing(updating, new Set(['both'])).map((h) => h.id)).toEqual(['other']);
  });

  it('applies the filters', () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry, id: 'web', labels: { app: 'web' } }, () => {});
    on.create('kopfexamples', { registry, id: 'db', labels: { app: 'db' } }, () => {});
    on.create('kopfexamples', { registry, id: 'when', when: ({ name }) => name === 'kex' }, () => {});
    expect(
      registry
        .forResource(kopfexamples)
        .changing(cause('create'))
        .map((h) => h.id),
    ).toEqual(['web', 'when']);
  });
});

describe('ResourceHandlers: the finalizer and stealth mode', () => {
  it('requires the finalizer for matching non-optional delete handlers and daemons/timers', () => {
    const registry = new Registry();
    on.delete('kopfexamples', { registry, id: 'optional', optional: true }, () => {});
    on.delete('kopfexamples', { registry, id: 'db-only', labels: { app: 'db' } }, () => {});
    const handlers = registry.forResource(kopfexamples);
    expect(handlers.requiresFinalizer(cause('create'))).toBe(false);
    on.timer('kopfexamples', { registry, id: 'tick', interval: 1, labels: { app: 'web' } }, () => {});
    expect(handlers.requiresFinalizer(cause('create'))).toBe(true);
    const other = new Registry();
    on.delete('kopfexamples', { registry: other, field: 'spec.x', value: 1 }, () => {});
    expect(other.forResource(kopfexamples).requiresFinalizer(cause('create'))).toBe(true);
  });

  it('prematches only when some changing handler could be interested', () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry, labels: { app: 'db' } }, () => {});
    const handlers = registry.forResource(kopfexamples);
    expect(handlers.prematch(cause('create'))).toBe(false);
    on.update('kopfexamples', { registry, field: 'spec.x', old: 'ignored by prematch' }, () => {});
    expect(handlers.prematch(cause('resume'))).toBe(true);
    expect(handlers.changing(cause('resume'))).toEqual([]);
  });
});

describe('ResourceHandlers: other categories', () => {
  it('selects event, spawning and index handlers by filters on the current body', () => {
    const registry = new Registry();
    on.event('kopfexamples', { registry, id: 'seen' }, () => {});
    on.event('kopfexamples', { registry, id: 'never', field: 'spec.missing' }, () => {});
    on.daemon('kopfexamples', { registry, id: 'daemon', field: 'spec.x', value: 1 }, () => {});
    on.timer('kopfexamples', { registry, id: 'timer', labels: { app: 'db' } }, () => {});
    on.index('kopfexamples', { registry, id: 'index' }, () => {});
    const handlers = registry.forResource(kopfexamples);
    const base = { resource, body, patch: new Patch(), logger, memo: {}, indexes: {} };
    expect(
      handlers.watching({ ...base, type: 'ADDED', event: { type: 'ADDED', object: body } }).map((h) => h.id),
    ).toEqual(['seen']);
    expect(handlers.spawning(base).map((h) => h.id)).toEqual(['daemon/spec.x']);
    expect(handlers.indexing(base).map((h) => h.id)).toEqual(['index']);
    expect(handlers.extraFields()).toEqual([
      ['spec', 'missing'],
      ['spec', 'x'],
    ]);
  });

  it('selects admission handlers by type, webhook, operation and subresource', () => {
    const registry = new Registry();
    on.validate('kopfexamples', { registry, id: 'v' }, () => {});
    on.validate('kopfexamples', { registry, id: 'v-status', subresource: 'status' }, () => {});
    on.mutate('kopfexamples', { registry, id: 'm' }, () => {});
    on.mutate('kopfexamples', { registry, id: 'm-delete', operations: ['DELETE'] }, () => {});
    on.validate('kopfexamples', { registry, id: 'v-create', operations: ['CREATE'] }, () => {});
    const handlers = registry.forResource(kopfexamples);
    const request = (overrides: Partial<WebhookCause>): string[] =>
      handlers
        .webhooks({
          resource,
          body,
          patch: new Patch(),
          logger,
          memo: {},
          indexes: {},
          dryrun: false,
          reason: undefined,
          webhook: undefined,
          headers: {},
          sslpeer: undefined,
          userinfo: {},
          warnings: [],
          operation: 'UPDATE',
          subresource: undefined,
          old: undefined,
          new: body,
          diff: undefined,
          ...overrides,
        })
        .map((h) => h.id);
    expect(request({})).toEqual(['v', 'm']);
    expect(request({ operation: 'CREATE' })).toEqual(['v', 'm', 'v-create']);
    expect(request({ operation: 'DELETE' })).toEqual(['v', 'm-delete']);
    expect(request({ reason: 'validating' })).toEqual(['v']);
    expect(request({ webhook: 'm' })).toEqual(['m']);
    expect(request({ subresource: 'status' })).toEqual(['v-status']);
  });
});

describe('Registry', () => {
  it('lists by kind and category, removes, and finds activities', () => {
    const registry = new Registry();
    const create = on.create('kopfexamples', { registry }, () => {});
    const login = on.login({ registry, id: 'login' }, () => undefined);
    on.startup({ registry, id: 'start' }, () => {});
    expect(registry.ofKind('create')).toEqual([create]);
    expect(registry.ofCategory('activity').map((h) => h.id)).toEqual(['login', 'start']);
    expect(registry.activityHandlers('authentication')).toEqual([login]);
    expect(registry.remove(create)).toBe(true);
    expect(registry.remove(create)).toBe(false);
    expect(registry.selectors()).toEqual([]);
  });

  it('sees handlers registered after a view was made (live views)', () => {
    const registry = new Registry();
    const handlers = registry.forResource(kopfexamples);
    on.create('kopfexamples', { registry }, () => {});
    on.create('pods', { registry }, () => {});
    expect(handlers.all().map((h) => h.selector)).toEqual([{ name: 'kopfexamples' }]);
  });

  it('has a replaceable default registry', () => {
    const original = getDefaultRegistry();
    const fresh = new Registry();
    setDefaultRegistry(fresh);
    try {
      expect(getDefaultRegistry()).toBe(fresh);
      on.create('kopfexamples', () => {});
      expect(fresh.handlers).toHaveLength(1);
    } finally {
      setDefaultRegistry(original);
    }
  });
});
