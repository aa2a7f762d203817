import { type Body, type ChangingKwargs, on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const registry = new Registry();

/** Handlers as class methods (Kopf users asked for this, #849): `this` is the instance. */
class ExampleOperator {
  readonly greeting: string;

  constructor(greeting: string) {
    this.greeting = greeting;
  }

  @on.create('kopfexamples', { registry })
  create_fn({ name }: ChangingKwargs) {
    return { message: `${this.greeting}, ${name}` };
  }
}

describe('handlers as decorated class methods', () => {
  it('are registered per instance and run with this bound', async () => {
    new ExampleOperator('hello');
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    const object = await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);
    expect(object?.status?.create_fn).toEqual({ message: 'hello, kopf-example-1' });
  });
});
