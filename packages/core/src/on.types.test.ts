/**
 * Type tests of `on.*` (checked by `npm run typecheck`, which includes this file):
 * kwargs are typed per kind and by Spec/Status, and wrong signatures or options
 * fail to compile (`@ts-expect-error` fails the type-check if the line compiles).
 * At run time, the valid registrations are executed and counted.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Body, RawEventType } from './bodies.js';
import type { ConnectionInfo } from './credentials.js';
import type { Diff } from './diffs.js';
import { not, PRESENT } from './filters.js';
import type { ChangingHandler, DaemonHandler, EventHandler, TimerHandler } from './handlers.js';
import type { ChangingCauseKwargs, ChangingKwargs, Essence } from './kwargs.js';
import { on } from './on.js';
import type { Patch } from './patches.js';
import type { Reason } from './persistence.js';
import type { HandlerDecorator } from './registration.js';
import { Registry } from './registry.js';
import type { OperatorSettings } from './settings.js';
import type { DaemonStopped } from './stoppers.js';

interface MySpec {
  field: string;
  items: string[];
}
interface MyStatus {
  phase: 'Pending' | 'Running';
}

describe('on.* kwargs typing', () => {
  it('types changing handlers by Spec and Status', () => {
    const registry = new Registry();
    const handler = on.create<MySpec, MyStatus>(
      'kopfexamples',
      { registry },
      ({ spec, status, body, old, reason }) => {
        expectTypeOf(spec).toEqualTypeOf<MySpec>();
        expectTypeOf(status).toEqualTypeOf<Partial<MyStatus>>();
        expectTypeOf(body).toEqualTypeOf<Body<MySpec, MyStatus>>();
        expectTypeOf(old).toEqualTypeOf<Essence<MySpec, MyStatus> | undefined>();
        expectTypeOf(reason).toEqualTypeOf<Reason>();
        return { message: spec.field };
      },
    );
    on.update('kopfexamples', { registry }, ({ diff, new: fresh, patch, retry, started, runtime }) => {
      expectTypeOf(diff).toEqualTypeOf<Diff>();
      expectTypeOf(fresh?.spec).toEqualTypeOf<Record<string, unknown> | undefined>();
      expectTypeOf(patch).toEqualTypeOf<Patch>();
      expectTypeOf([retry, runtime]).toEqualTypeOf<number[]>();
      expectTypeOf(started).toEqualTypeOf<Date>();
    });
    on.field('kopfexamples', { registry, field: 'spec.field' }, ({ old, new: fresh }) => {
      expectTypeOf(old).toBeUnknown();
      expectTypeOf(fresh).toBeUnknown();
    });
    on.update('kopfexamples', { registry, field: 'spec.items', id: 'items' }, ({ old }) => {
      expectTypeOf(old).toBeUnknown();
    });
    expectTypeOf(handler).toEqualTypeOf<ChangingHandler>();
    expect(registry.handlers).toHaveLength(4);
  });

  it('gives each kind exactly its kwargs', () => {
    const registry = new Registry();
    const event = on.event(
      'pods',
      { registry, labels: { 'parent-name': PRESENT } },
      ({ event, type, name }) => {
        expectTypeOf(type).toEqualTypeOf<RawEventType>();
        expectTypeOf(event.object.metadata?.name).toEqualTypeOf<string | undefined>();
        expectTypeOf(name).toEqualTypeOf<string | undefined>();
      },
    );
    const daemon = on.daemon('kopfexamples', { registry }, async ({ stopped }) => {
      expectTypeOf(stopped).toEqualTypeOf<DaemonStopped>();
      await stopped.wait(1);
    });
    const timer = on.timer('kopfexamples', { registry, interval: 10 }, ({ patch }) => {
      patch.status.message = 'tick';
    });
    on.startup({ registry }, ({ settings, memo }) => {
      expectTypeOf(settings).toEqualTypeOf<OperatorSettings>();
      memo.started = true;
    });
    on.login({ registry }, (): ConnectionInfo => ({ server: 'https://remote-kubernetes/', token: 'x' }));
    on.probe({ registry }, () => ({ healthy: true }));
    on.validate(
      'kopfexamples',
      { registry, operations: ['CREATE'] },
      ({ warnings, userinfo, dryrun, operation }) => {
        expectTypeOf(warnings).toEqualTypeOf<string[]>();
        expectTypeOf(userinfo.username).toEqualTypeOf<string | undefined>();
        expectTypeOf(dryrun).toEqualTypeOf<boolean>();
        expectTypeOf(operation).toEqualTypeOf<'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | undefined>();
      },
    );
    on.index('pods', { registry }, ({ name, namespace }) => ({ [namespace ?? '']: name }));
    expectTypeOf(event).toEqualTypeOf<EventHandler>();
    expectTypeOf(daemon).toEqualTypeOf<DaemonHandler>();
    expectTypeOf(timer).toEqualTypeOf<TimerHandler>();
    expect(registry.handlers).toHaveLength(8);
  });

  it('types filter callbacks with the cause kwargs', () => {
    const registry = new Registry();
    on.update<MySpec>(
      'kopfexamples',
      {
        registry,
        when: not(({ spec }: ChangingCauseKwargs<MySpec>) => spec.items.length === 0),
        labels: { app: (value, { name }) => value === name },
        field: 'spec.field',
        new: (value) => value !== 'x',
      },
      () => {},
    );
    on.create<MySpec>(
      'kopfexamples',
      { registry, when: ({ spec, name }) => spec.items.length > 0 && !!name },
      () => {},
    );
    expect(registry.handlers).toHaveLength(2);
  });

  it('returns a typed decorator without the function', () => {
    const decorate = on.create<MySpec>('kopfexamples', { registry: new Registry() });
    expectTypeOf(decorate).toEqualTypeOf<HandlerDecorator<ChangingKwargs<MySpec>>>();
    expect(typeof decorate).toBe('function');
  });
});

describe('on.* rejects at compile time', () => {
  it('types the kwargs whatever the number of selector parts', () => {
    const registry = new Registry();
    const names: unknown[] = [];
    on.create('kopf.dev', 'v1', 'kopfexamples', { registry }, ({ name, spec }) => {
      expectTypeOf(name).toEqualTypeOf<string | undefined>();
      expectTypeOf(spec).toEqualTypeOf<Record<string, unknown>>();
      names.push(name);
    });
    on.update('v1', 'kopfexamples', { registry }, ({ diff }) => {
      expectTypeOf(diff).toEqualTypeOf<Diff>();
    });
    on.daemon('kopf.dev', 'v1', 'kopfexamples', { registry }, ({ stopped }) => {
      expectTypeOf(stopped).toEqualTypeOf<DaemonStopped>();
    });
    on.field('kopf.dev', 'kopfexamples', { registry, field: 'spec.field' }, ({ old }) => {
      expectTypeOf(old).toEqualTypeOf<unknown>();
    });
    expect(registry.handlers).toHaveLength(4);
  });

  it('wrong options and handler signatures', () => {
    // Never called: the lines below must fail to type-check (and would throw at run time).
    function mistakes(): void {
      // @ts-expect-error: a typo in an option name
      on.create('kopfexamples', { retires: 3 }, () => {});
      // @ts-expect-error: event handlers are never retried
      on.event('pods', { retries: 3 }, () => {});
      // @ts-expect-error: old/new filters are for update and field handlers
      on.create('kopfexamples', { field: 'spec.a', old: 1 }, () => {});
      // @ts-expect-error: on.field needs a field
      on.field('kopfexamples', {}, () => {});
      // @ts-expect-error: `stopped` is for daemons and timers only
      on.create('kopfexamples', ({ stopped }) => stopped);
      // @ts-expect-error: event handlers get no diff
      on.event('pods', ({ diff }) => diff);
      // @ts-expect-error: a handler takes the kwargs object, not a number
      on.create('kopfexamples', (count: number) => count);
      // @ts-expect-error: the Spec type is enforced
      on.create<MySpec>('kopfexamples', ({ spec }) => spec.missing);
      // @ts-expect-error: a bigint cannot be stored as a result
      on.create('kopfexamples', () => 1n);
      // @ts-expect-error: login handlers return credentials
      on.login(() => 'a token');
      // @ts-expect-error: label filters take strings, markers or callbacks
      on.create('kopfexamples', { labels: { app: 1 } }, () => {});
      // @ts-expect-error: at most three selector parts
      on.create('a', 'b', 'c', 'd', () => {});
      // @ts-expect-error: activities take no resource
      on.startup('pods', () => {});
      // @ts-expect-error: intervals are numbers of seconds
      on.timer('kopfexamples', { interval: '10' }, () => {});
      // @ts-expect-error: admission operations are a closed set
      on.validate('kopfexamples', { operations: ['PATCH'] }, () => {});
      // @ts-expect-error: `optional` belongs to delete handlers
      on.create('kopfexamples', { optional: true }, () => {});
    }
    expect(mistakes).toBeTypeOf('function');
  });
});
