/**
 * Type tests of `@on.*` decorators on class methods (type-checked by
 * `npm run typecheck`; not executed: vitest's transform does not lower decorators,
 * see `test/decorators.test.ts` for the run-time behaviour).
 */
import type { ChangingKwargs, FieldKwargs, SpawningKwargs } from '@kopf/core';
import { on } from '@kopf/core';

interface MySpec {
  size: number;
}

export function defineOperators(): unknown[] {
  class Valid {
    @on.create<MySpec>('kopfexamples')
    async create({ spec }: ChangingKwargs<MySpec>): Promise<{ size: number }> {
      return { size: spec.size };
    }

    @on.field('kopfexamples', { field: 'spec.size' })
    resize({ old, new: fresh }: FieldKwargs): void {
      console.log(old, fresh);
    }

    @on.daemon('kopfexamples')
    async watch({ stopped }: SpawningKwargs): Promise<void> {
      await stopped.wait(10);
    }

    @on.timer('kopfexamples', { interval: 10 })
    tick(): void {}

    @on.startup()
    static boot(): void {}
  }

  class Invalid {
    // @ts-expect-error: the method must take the handler's kwargs
    @on.create('kopfexamples') wrongArgument(count: number): number {
      return count;
    }

    // @ts-expect-error: daemons kwargs are not changing kwargs (no `diff`)
    @on.daemon('kopfexamples') wrongKind({ diff }: ChangingKwargs): unknown {
      return diff;
    }

    // @ts-expect-error: a typo in an option name
    @on.timer('kopfexamples', { intervall: 10 }) typo(): void {}
  }

  return [Valid, Invalid];
}
