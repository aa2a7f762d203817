import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandlerOptionsError } from './errors.js';
import { ABSENT, PRESENT } from './filters.js';
import type { ChangingHandler, TimerHandler } from './handlers.js';
import { daemon, index, on, timer } from './on.js';
import { getDefaultRegistry, Registry, setDefaultRegistry } from './registry.js';
import { EVERYTHING } from './resources.js';

let registry: Registry;
const original = getDefaultRegistry();

beforeEach(() => {
  registry = new Registry();
  setDefaultRegistry(registry);
});
afterEach(() => setDefaultRegistry(original));

function createFn(): void {}
function updateFn(): void {}

describe('on.create and friends', () => {
  it('registers a plain function in the default registry and returns its frozen record', () => {
    const handler = on.create('kopfexamples', createFn);
    expect(registry.handlers).toEqual([handler]);
    expect(Object.isFrozen(handler)).toBe(true);
    expect(handler).toMatchObject({
      kind: 'create',
      id: 'createFn',
      fn: createFn,
      reason: 'create',
      errors: 'temporary',
      timeout: undefined,
      retries: undefined,
      backoff: undefined,
      requiresFinalizer: false,
      initial: false,
      selector: { name: 'kopfexamples' },
    });
  });

  it('accepts every selector form and options before the function', () => {
    const a = on.update(
      'kopf.dev',
      'v1',
      'kopfexamples',
      { id: 'u', retries: 3, timeout: 60, backoff: 5 },
      updateFn,
    );
    const b = on.delete({ group: 'kopf.dev', plural: 'kopfexamples' }, { optional: true }, createFn);
    const c = on.resume('kopfexamples', { group: 'kopf.dev', deleted: true }, createFn);
    const d = on.event(EVERYTHING, createFn);
    expect(a).toMatchObject({
      id: 'u',
      retries: 3,
      timeout: 60,
      backoff: 5,
      reason: 'update',
      fieldNeedsChange: true,
    });
    expect(a.selector).toEqual({ group: 'kopf.dev', version: 'v1', name: 'kopfexamples' });
    expect(b).toMatchObject({
      optional: true,
      requiresFinalizer: false,
      selector: { plural: 'kopfexamples' },
    });
    expect(c).toMatchObject({ reason: undefined, initial: true, deleted: true });
    expect(c.selector).toEqual({ name: 'kopfexamples', group: 'kopf.dev' });
    expect(d.selector).toEqual({ everything: true });
  });

  it("applies Kopf's per-kind defaults", () => {
    expect(on.event('pods', createFn).errors).toBe('ignored');
    expect(on.index('pods', createFn).errors).toBe('ignored');
    expect(on.validate('pods', createFn).errors).toBe('permanent');
    expect(on.mutate('pods', createFn).errors).toBe('permanent');
    expect(on.daemon('pods', createFn).errors).toBe('temporary');
    expect(on.startup(createFn)).toMatchObject({ errors: 'temporary', activity: 'startup' });
    expect(on.login(createFn).activity).toBe('authentication');
  });

  it('derives requiresFinalizer: non-optional delete handlers, daemons and timers', () => {
    expect(on.delete('a', createFn).requiresFinalizer).toBe(true);
    expect(on.delete('b', { optional: true }, createFn).requiresFinalizer).toBe(false);
    expect(on.daemon('a', createFn).requiresFinalizer).toBe(true);
    expect(on.timer('a', { interval: 1 }, createFn).requiresFinalizer).toBe(true);
    expect(on.create('a', createFn).requiresFinalizer).toBe(false);
    expect(on.resume('a', createFn).requiresFinalizer).toBe(false);
  });

  it('suffixes field-bound ids with the field, except for indexes', () => {
    expect(on.field('kopfexamples', { field: 'spec.field' }, updateFn).id).toBe('updateFn/spec.field');
    expect(on.update('kopfexamples', { id: 'u', field: ['spec', 'a'] }, updateFn).id).toBe('u/spec.a');
    expect(on.event('pods', { field: 'status.phase' }, createFn).id).toBe('createFn/status.phase');
    expect(on.index('pods', { field: 'status.phase' }, createFn).id).toBe('createFn');
  });

  it('gives anonymous functions stable ids in registration order, per resource and kind', () => {
    const first = on.create('kopfexamples', () => {});
    const second = on.create('kopfexamples', () => {});
    const other = on.create('pods', () => {});
    const update = on.update('kopfexamples', () => {});
    expect([first.id, second.id, other.id, update.id]).toEqual([
      'create_fn',
      'create_fn_2',
      'create_fn',
      'update_fn',
    ]);
  });

  it('accepts real top-level fields of built-in kinds', () => {
    expect(on.event('configmaps', { field: 'data.key' }, createFn).field).toEqual(['data', 'key']);
    expect(on.event('roles', { field: ['rules'] }, updateFn).field).toEqual(['rules']);
  });

  it('registers timer and daemon options', () => {
    const delay = (): number => 3;
    const tick = on.timer(
      'kopfexamples',
      { interval: 10, initialDelay: delay, idle: 5, sharp: true },
      createFn,
    );
    const watch = daemon(
      'kopfexamples',
      { cancellationTimeout: 3, cancellationBackoff: 1, cancellationPolling: 2 },
      updateFn,
    );
    expect(tick).toMatchObject({
      interval: 10,
      initialDelay: delay,
      idle: 5,
      sharp: true,
    } satisfies Partial<TimerHandler>);
    expect(watch).toMatchObject({ cancellationTimeout: 3, cancellationBackoff: 1, cancellationPolling: 2 });
    expect([timer, index]).toEqual([on.timer, on.index]);
  });

  it('registers webhook options', () => {
    const handler = on.validate(
      'kopfexamples',
      { operations: ['CREATE', 'UPDATE'], subresource: '*', persistent: true },
      createFn,
    );
    expect(handler).toMatchObject({
      type: 'validating',
      operations: ['CREATE', 'UPDATE'],
      subresource: '*',
      persistent: true,
      sideEffects: false,
      ignoreFailures: false,
    });
  });

  it('registers into an explicit registry, leaving the default one alone', () => {
    const other = new Registry();
    const handler = on.create('kopfexamples', { registry: other }, createFn);
    expect([other.handlers, registry.handlers]).toEqual([[handler], []]);
  });

  it('accepts label and annotation filters with values, markers and callbacks', () => {
    const callback = (value: string | undefined): boolean => value === 'x';
    const handler = on.event('pods', { labels: { a: 'b', c: PRESENT, d: ABSENT, e: callback } }, createFn);
    expect(handler.labels).toEqual({ a: 'b', c: PRESENT, d: ABSENT, e: callback });
  });
});

describe('registration mistakes', () => {
  const rejects = (register: () => unknown, message: RegExp): void => {
    expect(register).toThrow(HandlerOptionsError);
    expect(register).toThrow(message);
  };
  const loose = on as unknown as Record<string, (...args: unknown[]) => unknown>;

  it('names the handler, the option and the fix for typos, also in Kopf snake_case', () => {
    rejects(
      () => loose.create?.('kopfexamples', { retires: 3 }, createFn),
      /on\.create\('kopfexamples'\) handler 'createFn': unknown option 'retires'\. Did you mean 'retries'\?/,
    );
    rejects(
      () => loose.timer?.('kopfexamples', { initial_delay: 3 }, createFn),
      /Did you mean 'initialDelay'\?/,
    );
    rejects(
      () => loose.create?.('kopfexamples', { field: 'spec.x', old: 1 }, createFn),
      /unknown option 'old' \(old\/new filters are for on\.update and on\.field\)/,
    );
    rejects(() => loose.event?.('pods', { retries: 3 }, createFn), /unknown option 'retries'/);
  });

  it.each([
    [{ retries: 0 }, /option 'retries' must be a whole number ≥ 1, got 0/],
    [{ retries: 1.5 }, /option 'retries' must be a whole number/],
    [{ timeout: 0 }, /option 'timeout' must be a positive number of seconds, got 0/],
    [{ backoff: -1 }, /option 'backoff' must be a non-negative number/],
    [{ errors: 'sometimes' }, /option 'errors' must be one of temporary, permanent, ignored/],
    [{ id: '' }, /option 'id' must be a non-empty string/],
    [
      { labels: { app: null } },
      /option 'labels' has null for 'app', which is not supported; use PRESENT or ABSENT/,
    ],
    [{ annotations: ['a'] }, /option 'annotations' must be an object/],
    [{ when: true }, /option 'when' must be a function/],
    [{ field: 'spec..x' }, /option 'field' A field must have no empty parts/],
    [{ value: 1 }, /'value'\/'old'\/'new' filters need a 'field'/],
    [
      { field: 'sepc.field' },
      /option 'field' starts with 'sepc', which no object has; did you mean 'spec'\?/,
    ],
    [{ field: 'specs.field' }, /did you mean 'spec'\?/],
    [{ field: 'meta.labels.x' }, /did you mean 'metadata'\?/],
    [{ field: ['stats', 'phase'] }, /did you mean 'status'\?/],
    [{ registry: {} }, /option 'registry' must be a Registry/],
  ])('rejects %j', (options, message) => {
    rejects(() => loose.create?.('kopfexamples', options, createFn), message);
  });

  it('rejects value together with old/new, on.field without a field, and bad kind-specific values', () => {
    rejects(
      () => loose.update?.('x', { field: 'spec.a', value: 1, old: 2 }, createFn),
      /either 'value' or 'old'\/'new'/,
    );
    rejects(() => loose.field?.('x', {}, createFn), /on\.field needs the 'field' option/);
    rejects(
      () => loose.timer?.('x', { interval: -5 }, createFn),
      /option 'interval' must be a positive number/,
    );
    rejects(
      () => loose.validate?.('x', { operations: [] }, createFn),
      /option 'operations' must be a non-empty list/,
    );
    rejects(
      () => loose.validate?.('x', { operations: ['PATCH'] }, createFn),
      /among CREATE, UPDATE, DELETE, CONNECT/,
    );
    rejects(
      () => loose.delete?.('x', { optional: 'yes' }, createFn),
      /option 'optional' must be true or false/,
    );
  });

  it('rejects a duplicate id for the same resource and kind only', () => {
    on.create('kopfexamples', createFn);
    on.resume('kopfexamples', createFn); // Kopf's create+resume stacking on one function
    on.create('pods', createFn);
    rejects(
      () => on.create('kopfexamples', { id: 'createFn' }, updateFn),
      /a create handler with id 'createFn' is already registered for kopfexamples; give one of them another id/,
    );
    expect(registry.handlers.map((h) => h.kind)).toEqual(['create', 'resume', 'create']);
  });

  it('rejects bad selectors, a missing resource, and a resource on activities', () => {
    rejects(
      () => loose.create?.('a', 'b', 'c', 'd', createFn),
      /on\.create\(\): Resource selector: at most 3 positional parts/,
    );
    rejects(() => loose.create?.(async () => {}), /on\.create\(\): the resource is missing/);
    rejects(() => loose.startup?.('pods', createFn), /on\.startup\(\): activities take no resource/);
    rejects(
      () => loose.create?.('kopfexamples', { id: 'x' }, 'not a function'),
      /Resource selector|must be a function/,
    );
  });

  it('registers nothing when a registration fails', () => {
    expect(() => loose.create?.('kopfexamples', { retries: -1 }, createFn)).toThrow(HandlerOptionsError);
    expect(registry.handlers).toEqual([]);
  });
});

describe('registry selectors', () => {
  it('keeps one selector object per distinct selector', () => {
    const a = on.create('kopf.dev/v1', 'kopfexamples', createFn) as ChangingHandler;
    const b = on.update('kopf.dev', 'v1', 'kopfexamples', updateFn) as ChangingHandler;
    on.event('pods', createFn);
    expect(a.selector).toBe(b.selector);
    expect(registry.selectors()).toHaveLength(2);
    expect(registry.selectors('changing')).toEqual([a.selector]);
  });
});
