import { describe, expect, it } from 'vitest';
import type { ChangingCause } from './causes.js';
import { HandlerChildrenRetryError, HandlerContextError, HandlerOptionsError } from './errors.js';
import type { ChangingHandler } from './handlers.js';
import { invokeHandler } from './invoking.js';
import { allAtOnce, type Lifecycle } from './lifecycles.js';
import type { Logger } from './loggers.js';
import { on } from './on.js';
import { Patch } from './patches.js';
import { Registry } from './registry.js';
import type { Resource } from './resources.js';
import { execute, register, type SubhandlerRunner, Subhandlers, subhandler } from './subhandlers.js';

const cause: ChangingCause = {
  resource: { plural: 'kopfexamples' } as Resource,
  body: { metadata: { name: 'kex' }, spec: { items: ['a', 'b'] } },
  patch: new Patch(),
  logger: {} as Logger,
  memo: {},
  indexes: {},
  reason: 'create',
  initial: false,
  diff: [],
  old: undefined,
  new: { spec: { items: ['a', 'b'] } },
};
const invocation = { retry: 0, started: new Date(), runtime: 0 };

/** A runner that records what the reactor would be asked to run. */
function recordingRunner(): {
  runner: SubhandlerRunner;
  runs: { ids: string[]; lifecycle: Lifecycle | undefined }[];
} {
  const runs: { ids: string[]; lifecycle: Lifecycle | undefined }[] = [];
  return {
    runs,
    runner: async (handlers, { lifecycle }) => {
      runs.push({ ids: handlers.map((h) => h.id), lifecycle });
    },
  };
}

describe('sub-handlers', () => {
  it('declares children with parent-prefixed ids and runs them implicitly after the parent', async () => {
    const registry = new Registry();
    const parent = on.create('kopfexamples', { registry, id: 'create_fn' }, ({ spec }) => {
      for (const item of spec.items as string[]) register(async () => {}, { id: item });
      subhandler({ id: 'extra' })(() => {});
      return { declared: true };
    });
    const { runner, runs } = recordingRunner();
    const subhandlers = new Subhandlers(parent, runner);
    const result = await invokeHandler(parent, cause, invocation, { subhandlers });
    expect(result).toEqual({ declared: true });
    expect(runs).toEqual([{ ids: ['create_fn/a', 'create_fn/b', 'create_fn/extra'], lifecycle: undefined }]);
    expect(subhandlers.executed).toBe(true);
  });

  it('runs declared children once when the parent executes them explicitly', async () => {
    const registry = new Registry();
    const reached: string[] = [];
    const parent = on.update('kopfexamples', { registry, id: 'parent' }, async () => {
      register(function child() {});
      await execute({ lifecycle: allAtOnce });
      reached.push('after execute');
    });
    const { runner, runs } = recordingRunner();
    await invokeHandler(parent, cause, invocation, { subhandlers: new Subhandlers(parent, runner) });
    expect(runs).toEqual([{ ids: ['parent/child'], lifecycle: allAtOnce }]);
    expect(reached).toEqual(['after execute']);
  });

  it('runs given functions, handlers or a registry', async () => {
    const registry = new Registry();
    const parent = on.create('kopfexamples', { registry, id: 'p' }, () => {});
    const { runner, runs } = recordingRunner();
    const subhandlers = new Subhandlers(parent, runner);
    function named(): void {}
    await subhandlers.execute({ fns: { one: () => {}, two: () => {} } });
    await subhandlers.execute({ fns: [named] });
    const other = new Registry();
    on.create('kopfexamples', { registry: other, id: 'from-registry' }, () => {});
    await subhandlers.execute({ registry: other });
    expect(runs.map((run) => run.ids)).toEqual([['p/one', 'p/two'], ['p/named'], ['from-registry']]);
    expect(subhandlers.executed).toBe(false);
    await expect(subhandlers.execute({ fns: [named], registry: other })).rejects.toThrow(
      /only one of fns, handlers, registry/,
    );
  });

  it('lets the children-retry error of the runner surface from the parent invocation', async () => {
    const registry = new Registry();
    const parent = on.create('kopfexamples', { registry }, () => {
      register(() => {}, { id: 'slow' });
    });
    const runner: SubhandlerRunner = async () => {
      throw new HandlerChildrenRetryError('1 sub-handler left', { delay: 0 });
    };
    await expect(
      invokeHandler(parent, cause, invocation, { subhandlers: new Subhandlers(parent, runner) }),
    ).rejects.toThrow(HandlerChildrenRetryError);
  });

  it('checks old/new filters against the parent and inherits its "must have changed" rule', () => {
    const registry = new Registry();
    const { runner } = recordingRunner();
    const create = new Subhandlers(
      on.create('x', { registry, id: 'c' }, () => {}),
      runner,
    );
    const update = new Subhandlers(
      on.update('x', { registry, id: 'u' }, () => {}),
      runner,
    );
    expect(() => create.register(() => {}, { id: 'a', field: 'spec.a', old: 1 })).toThrow(
      /'old'\/'new' filters need an on\.update or on\.field parent; 'c' is an on\.create handler/,
    );
    const child: ChangingHandler = update.register(() => {}, { id: 'a', field: 'spec.a', old: 1 });
    expect([child.id, child.fieldNeedsChange, child.kind, child.selector]).toEqual([
      'u/a',
      true,
      'subhandler',
      undefined,
    ]);
    expect(() => update.register(() => {}, { id: 'a' })).toThrow(HandlerOptionsError);
  });

  it('refuses to work outside a changing handler', async () => {
    expect(() => register(() => {}, { id: 'x' })).toThrow(HandlerContextError);
    expect(() => subhandler({ id: 'x' })).toThrow(
      /only inside a running on\.create\/update\/delete\/resume\/field/,
    );
    await expect(execute()).rejects.toThrow(HandlerContextError);
    expect([on.register, on.subhandler]).toEqual([register, subhandler]);
  });
});

describe('nested sub-handlers', () => {
  it('do not register into the parent invocation when the reactor gives a child no sub-handlers', async () => {
    const registry = new Registry();
    const parent = on.create('kopfexamples', { registry, id: 'parent' }, () => {
      register(
        () => {
          register(() => {}, { id: 'grandchild' });
        },
        { id: 'child' },
      );
    });
    const seen: string[] = [];
    const runner: SubhandlerRunner = async (children) => {
      // runs inside the parent's invocation (implicit execution); each child is invoked without sub-handlers
      for (const child of children) {
        await invokeHandler(child, cause, invocation).catch((error: Error) => seen.push(error.name));
        seen.push(child.id);
      }
    };
    const subhandlers = new Subhandlers(parent, runner);
    await invokeHandler(parent, cause, invocation, { subhandlers });
    expect(seen).toEqual(['HandlerContextError', 'parent/child']);
    expect(subhandlers.registry.handlers.map((h) => h.id)).toEqual(['parent/child']);
  });
});
