import { describe, expect, it } from 'vitest';
import type { Body } from './bodies.js';
import type { ActivityCause, ChangingCause, ResourceCause, WatchingCause, WebhookCause } from './causes.js';
import { currentHandlerContext } from './contexts.js';
import type { Handler } from './handlers.js';
import { causeKwargs, handlerKwargs, type Invocation, invokeHandler } from './invoking.js';
import type { Logger } from './loggers.js';
import { on } from './on.js';
import { Patch } from './patches.js';
import { Registry } from './registry.js';
import type { Resource } from './resources.js';
import { defaultSettings } from './settings.js';
import type { DaemonStopped } from './stoppers.js';

const logger = {} as Logger;
const resource = { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples' } as Resource;
const body: Body = {
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: { name: 'kex', namespace: 'default', uid: 'u-1', labels: { a: 'b' } },
  spec: { field: 'new', other: 1 },
};
const base: ResourceCause = { resource, body, patch: new Patch(), logger, memo: {}, indexes: {} };
const changing: ChangingCause = {
  ...base,
  reason: 'update',
  initial: false,
  diff: [
    { operation: 'change', field: ['spec', 'field'], old: 'old', new: 'new' },
    { operation: 'add', field: ['spec', 'other'], old: undefined, new: 1 },
  ],
  old: { spec: { field: 'old' } },
  new: { spec: { field: 'new', other: 1 } },
};
const invocation: Invocation = { retry: 2, started: new Date('2024-01-01T00:00:00Z'), runtime: 7.5 };
const RESOURCE_KWARGS = [
  'logger',
  'memo',
  'indexes',
  'resource',
  'body',
  'spec',
  'meta',
  'status',
  'uid',
  'name',
  'namespace',
  'labels',
  'annotations',
  'patch',
];
const INVOCATION_KWARGS = ['client', 'param', 'retry', 'started', 'runtime'];
const sorted = (keys: string[]): string[] => [...keys].sort();

describe('handlerKwargs', () => {
  const registry = new Registry();

  it('gives changing handlers the resource, change and invocation kwargs', () => {
    const handler = on.update('kopfexamples', { registry, param: { x: 1 } }, () => {});
    const kwargs = handlerKwargs(handler, changing, invocation);
    expect(sorted(Object.keys(kwargs))).toEqual(
      sorted([...RESOURCE_KWARGS, ...INVOCATION_KWARGS, 'reason', 'diff', 'old', 'new']),
    );
    expect(kwargs).toMatchObject({
      spec: body.spec,
      status: {},
      name: 'kex',
      namespace: 'default',
      uid: 'u-1',
      labels: { a: 'b' },
      annotations: {},
      reason: 'update',
      param: { x: 1 },
      retry: 2,
      runtime: 7.5,
      old: changing.old,
    });
    expect(Object.isFrozen(kwargs)).toBe(true);
  });

  it('reduces old, new and diff to the field of field-bound handlers', () => {
    const handler = on.field('kopfexamples', { registry, field: 'spec.field' }, () => {});
    const kwargs = handlerKwargs(handler, changing, invocation);
    expect([kwargs.old, kwargs.new]).toEqual(['old', 'new']);
    expect(kwargs.diff).toEqual([{ operation: 'change', field: [], old: 'old', new: 'new' }]);
    expect(causeKwargs(handler, changing).old).toBe(changing.old);
  });

  it('gives event, daemon, index, webhook and activity handlers exactly their kwargs', () => {
    const stopped = { aborted: false } as DaemonStopped;
    const event: WatchingCause = { ...base, type: null, event: { type: null, object: body } };
    const webhook: WebhookCause = {
      ...base,
      dryrun: true,
      reason: 'validating',
      webhook: undefined,
      headers: {},
      sslpeer: undefined,
      userinfo: { username: 'admin' },
      warnings: [],
      operation: 'CREATE',
      subresource: undefined,
      old: undefined,
      new: body,
      diff: undefined,
    };
    const activity: ActivityCause = {
      logger,
      memo: {},
      indexes: {},
      activity: 'startup',
      settings: defaultSettings(),
    };
    const keys = (
      handler: Handler,
      cause: Parameters<typeof handlerKwargs>[1],
      extra?: Partial<Invocation>,
    ): string[] => sorted(Object.keys(handlerKwargs(handler, cause, { ...invocation, ...extra })));

    expect(
      keys(
        on.event('kopfexamples', { registry }, () => {}),
        event,
      ),
    ).toEqual(sorted([...RESOURCE_KWARGS, ...INVOCATION_KWARGS, 'type', 'event']));
    const daemon = on.daemon('kopfexamples', { registry }, () => {});
    expect(keys(daemon, base, { stopped })).toEqual(
      sorted([...RESOURCE_KWARGS, ...INVOCATION_KWARGS, 'stopped']),
    );
    expect(handlerKwargs(daemon, base, { ...invocation, stopped }).stopped).toBe(stopped);
    expect(
      keys(
        on.index('kopfexamples', { registry }, () => {}),
        base,
      ),
    ).toEqual(sorted([...RESOURCE_KWARGS, ...INVOCATION_KWARGS]));
    expect(
      keys(
        on.validate('kopfexamples', { registry }, () => {}),
        webhook,
      ),
    ).toEqual(
      sorted([
        ...RESOURCE_KWARGS,
        ...INVOCATION_KWARGS,
        ...[
          'dryrun',
          'warnings',
          'userinfo',
          'headers',
          'sslpeer',
          'operation',
          'subresource',
          'old',
          'new',
          'diff',
        ],
      ]),
    );
    expect(
      keys(
        on.startup({ registry }, () => {}),
        activity,
      ),
    ).toEqual(sorted(['logger', 'memo', 'indexes', 'activity', 'settings', ...INVOCATION_KWARGS]));
  });
});

describe('invokeHandler', () => {
  it('calls sync and async handlers with their kwargs and returns the result', async () => {
    const registry = new Registry();
    const sync = on.create('kopfexamples', { registry, id: 'sync' }, ({ name }) => ({ hello: name }));
    const later = on.create('kopfexamples', { registry, id: 'later' }, async ({ retry }) => retry + 1);
    expect(await invokeHandler(sync, changing, invocation)).toEqual({ hello: 'kex' });
    expect(await invokeHandler(later, changing, invocation)).toBe(3);
  });

  it('runs the handler inside its context, with the object as the body', async () => {
    const registry = new Registry();
    const seen: unknown[] = [];
    const handler = on.create('kopfexamples', { registry }, async () => {
      await Promise.resolve();
      const context = currentHandlerContext();
      seen.push(context?.body, context?.handler, context?.settings?.posting.level);
    });
    const settings = defaultSettings();
    await invokeHandler(handler, changing, invocation, { settings });
    expect(seen).toEqual([body, handler, 'info']);
    expect(currentHandlerContext()).toBeUndefined();
  });

  it('propagates errors thrown by the handler', async () => {
    const registry = new Registry();
    const handler = on.create('kopfexamples', { registry }, () => {
      throw new Error('boom');
    });
    await expect(invokeHandler(handler, changing, invocation)).rejects.toThrow('boom');
  });
});
