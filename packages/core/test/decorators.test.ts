import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type ActivityCause,
  type ChangingCause,
  defaultSettings,
  HandlerOptionsError,
  invokeHandler,
  type JsonObject,
  type Logger,
  Patch,
  type Resource,
} from '@kopf/core';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';

const CORE_ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** Compiles TypeScript with standard decorators (esbuild) and imports it, bound to the same @kopf/core. */
async function importCompiled(source: string): Promise<Record<string, unknown>> {
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' });
  const bound = code.replaceAll(/(["'])@kopf\/core\1/g, JSON.stringify(CORE_ENTRY));
  const dir = await mkdtemp(join(tmpdir(), 'kopf-core-decorators-'));
  const file = join(dir, 'module.mjs');
  try {
    await writeFile(file, bound);
    return await import(/* @vite-ignore */ pathToFileURL(file).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const logger = { debug() {}, info() {}, warning() {}, warn() {}, error() {} } satisfies Logger;
const invocation = { retry: 0, started: new Date(), runtime: 0 };

function changingCause(spec: JsonObject): ChangingCause {
  return {
    resource: { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples' } as Resource,
    body: { metadata: { name: 'kex' }, spec },
    patch: new Patch(),
    logger,
    memo: {},
    indexes: {},
    reason: 'create',
    initial: false,
    diff: [],
    old: undefined,
    new: { spec },
  };
}

interface OperatorClass {
  new (name: string): { calls: string[] };
}

describe('@on.* on class methods', () => {
  it('registers static methods at class definition and instance methods bound at construction', async () => {
    const fixture = await readFile(new URL('./fixtures/decorated-operator.ts', import.meta.url), 'utf8');
    const module = await importCompiled(fixture);
    const registry = module.registry as import('@kopf/core').Registry;
    const Operator = module.Operator as OperatorClass;

    expect(registry.handlers.map((h) => `${h.kind}:${h.id}`)).toEqual(['startup:boot']);
    const boot = registry.handlers[0];
    const activity: ActivityCause = {
      activity: 'startup',
      settings: defaultSettings(),
      logger,
      memo: {},
      indexes: {},
    };
    expect(boot && (await invokeHandler(boot, activity, invocation))).toBe('booted');

    const operator = new Operator('first');
    expect(registry.handlers.map((h) => `${h.kind}:${h.id}`)).toEqual([
      'startup:boot',
      'create:createFn',
      'timer:tick',
    ]);
    const create = registry.ofKind('create')[0];
    const result = create && (await invokeHandler(create, changingCause({ field: 'value' }), invocation));
    expect(result).toEqual({ message: 'hello from first' });
    expect(operator.calls).toEqual(['create {"field":"value"}']);
    expect(registry.ofKind('timer')[0]).toMatchObject({ interval: 10, requiresFinalizer: true });
  });

  it('rejects a second instance registering the same ids, naming the fix', async () => {
    const fixture = await readFile(new URL('./fixtures/decorated-operator.ts', import.meta.url), 'utf8');
    const { Operator } = (await importCompiled(fixture)) as { Operator: OperatorClass };
    new Operator('first');
    expect(() => new Operator('second')).toThrow(HandlerOptionsError);
    expect(() => new Operator('third')).toThrow(
      /already registered for kopfexamples; give one of them another id/,
    );
  });

  it('rejects bad options when the class is defined, before any instance exists', async () => {
    const source = `
      import { on, Registry } from '@kopf/core';
      const registry = new Registry();
      export class Broken { @on.create('kopfexamples', { registry, retires: 3 }) fn() {} }
    `;
    await expect(importCompiled(source)).rejects.toThrow(
      /unknown option 'retires'\. Did you mean 'retries'\?/,
    );
  });

  it('explains that legacy (experimental) decorators are not supported', async () => {
    const { on } = await import('@kopf/core');
    const decorate = on.create('kopfexamples') as unknown as (...args: unknown[]) => void;
    expect(() => decorate({}, 'method', {})).toThrow(/standard decorators/);
  });
});
