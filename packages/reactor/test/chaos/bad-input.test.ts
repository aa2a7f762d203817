/**
 * Bad input (issue 10): objects whose fields have unexpected types or whose Kopf
 * annotations are garbage, a CRD or a namespace deleted under the operator, and
 * handlers that throw what is not an Error, never return, or return what JSON cannot
 * hold. Each scenario ends with a clear log line (or the object handled as well as
 * it can be) and the operator still serving a well-formed object afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Body, type HandlerResult, on, Registry } from '@kopf/core';
import { type FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD } from '../talk/support.js';
import {
  circular,
  creationFinished,
  DIFF_BASE,
  example,
  exampleBody,
  expectServed,
  LOOSE_CRD,
  storedWithOddLabels,
} from './bad-input-support.js';

const PROGRESS = 'kopf.zalando.org/create_fn';

let run: OperatorRun | undefined;
let server: FakeApiServer | undefined;
let directory: string | undefined;
afterEach(async () => {
  await run?.stop();
  await server?.stop();
  if (directory) rmSync(directory, { recursive: true, force: true });
  run = server = directory = undefined;
});

const ODD_LABELS = { number: 1, flag: true, nothing: null, nested: { a: 'b' } };

/** A registry whose `create_fn` returns `{ ok: true }` for well-formed objects and does `bad()` for the others. */
function registryWith(bad: (name: string) => unknown, options: { retries?: number; timeout?: number } = {}) {
  const registry = new Registry();
  on.create('kopfexamples', { registry, backoff: 0.5, ...options }, function create_fn({ name }) {
    return name?.startsWith('well-formed') ? { ok: true } : (bad(name ?? '') as HandlerResult);
  });
  on.delete('kopfexamples', { registry }, function delete_fn() {});
  return registry;
}

describe('objects whose fields have unexpected types', () => {
  it('handles a spec that is a string, a number, a list or null, and its change to an object', async () => {
    const seen: Record<string, string> = {};
    const registry = registryWith((name) => name);
    on.update('kopfexamples', { registry }, function update_fn({ name, old, new: changed }) {
      seen[name ?? ''] = `${JSON.stringify(old)} → ${JSON.stringify(changed)}`;
    });
    run = await runOperator({ registry, apply: LOOSE_CRD });
    const specs: Record<string, unknown> = { string: 'a string', number: 5, list: [1, 'two'], null: null };
    for (const [kind, spec] of Object.entries(specs))
      await run.cluster.apply(exampleBody(`spec-${kind}`, { spec }));
    for (const [kind, spec] of Object.entries(specs)) {
      const handled = await run.cluster.waitFor<Body>(
        example(`spec-${kind}`),
        (o) => o?.status?.create_fn !== undefined,
      );
      expect(handled?.metadata?.annotations?.[DIFF_BASE]).toBe(`${JSON.stringify({ spec })}\n`);
    }
    await run.cluster.patch(example('spec-string'), { spec: { field: 'now an object' } });
    await run.waitForLog("[default/spec-string] Handler 'update_fn' succeeded.");
    expect(seen['spec-string']).toBe('{"spec":"a string"} → {"spec":{"field":"now an object"}}');
    await expectServed(run);
  });

  it('keeps serving while an object whose labels are not strings (stored before validation) cannot be written', async () => {
    directory = mkdtempSync(join(tmpdir(), 'kopf-bad-labels-'));
    server = await storedWithOddLabels(directory, ODD_LABELS);
    run = await runOperator({ registry: registryWith((name) => name), server });
    await run.waitForLog('[default/odd-labels] Adding the finalizer, thus preventing the actual deletion.');
    const stored = await run.cluster.get<Body>(example('odd-labels'));
    expect(stored?.metadata?.labels).toEqual(ODD_LABELS);
    await expectServed(run);
  });

  it('names a progress annotation that is not JSON and how to fix it; fixed, the object is handled', async () => {
    run = await runOperator({ registry: registryWith((name) => name), apply: CRD });
    await run.cluster.apply(exampleBody('bad-progress', { annotations: { [PROGRESS]: 'not json {' } }));
    await run.cluster.apply(exampleBody('list-progress', { annotations: { [PROGRESS]: '[1, 2]' } }));
    const line = await run.waitForLog(`annotation ${PROGRESS} of default/bad-progress failed`);
    expect(line).toContain(
      `Reading the progress of handler 'create_fn' from annotation ${PROGRESS} of default/bad-progress failed: the stored value is not valid JSON. Fix or delete it`,
    );
    await run.waitForLog(
      'annotation kopf.zalando.org/create_fn of default/list-progress failed: the stored value is not a JSON object',
    );
    await expectServed(run);
    await run.cluster.patch(example('bad-progress'), { metadata: { annotations: { [PROGRESS]: null } } });
    await run.cluster.waitFor<Body>(example('bad-progress'), (o) => o?.status?.create_fn === 'bad-progress');
  });

  it('names a diff-base annotation that is garbage and how to fix it; fixed, the object is handled', async () => {
    run = await runOperator({ registry: registryWith((name) => name), apply: CRD });
    await run.cluster.apply(exampleBody('bad-diff-base', { annotations: { [DIFF_BASE]: 'garbage!' } }));
    const line = await run.waitForLog(`annotation ${DIFF_BASE} of default/bad-diff-base failed`);
    expect(line).toContain(
      `Reading the last handled configuration from annotation ${DIFF_BASE} of default/bad-diff-base failed: the stored value is not valid JSON. Fix or delete it`,
    );
    await expectServed(run);
    await run.cluster.patch(example('bad-diff-base'), { metadata: { annotations: { [DIFF_BASE]: null } } });
    await run.cluster.waitFor<Body>(
      example('bad-diff-base'),
      (o) => o?.status?.create_fn === 'bad-diff-base',
    );
  });
});

describe('the cluster changes under the operator', () => {
  it('handles the deletion of the objects of a deleted CRD, says the resource is gone, and serves it again once re-created', async () => {
    run = await runOperator({ registry: registryWith((name) => name), apply: CRD });
    await run.cluster.apply(exampleBody('before'));
    await run.cluster.waitFor<Body>(example('before'), (o) => o?.status?.create_fn !== undefined);
    await run.cluster.delete({ resource: 'customresourcedefinitions', name: 'kopfexamples.kopf.dev' });
    await run.waitForLog("[default/before] Handler 'delete_fn' succeeded.");
    await run.waitForLog('Unresolved resources cannot be served (try creating their CRDs): kopfexamples', 15);
    await run.cluster.apply(CRD);
    await expectServed(run, 'well-formed-after');
  });

  it("completes a deleted namespace's deletion: the deletion handlers run and the finalizers go", async () => {
    run = await runOperator({ registry: registryWith((name) => name), apply: CRD });
    await run.cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    for (const name of ['first', 'second']) {
      await run.cluster.apply(exampleBody(name, { namespace: 'doomed' }));
      await run.cluster.waitFor<Body>(example(name, 'doomed'), (o) => o?.status?.create_fn !== undefined);
    }
    await run.cluster.delete({ resource: 'namespaces', name: 'doomed' });
    for (const name of ['first', 'second'])
      await run.waitForLog(`[doomed/${name}] Deleted, really deleted, and we are notified.`);
    await run.cluster.waitFor({ resource: 'namespaces', name: 'doomed' }, (o) => o === undefined, {
      description: 'the namespace gone',
      timeout: 15,
    });
    await expectServed(run);
  });

  it('serves the namespace it is limited to again once that namespace is deleted and re-created', async () => {
    run = await runOperator({ registry: registryWith((name) => name), apply: CRD, namespaces: ['doomed'] });
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } };
    await run.cluster.apply(namespace);
    await run.cluster.apply(exampleBody('before', { namespace: 'doomed' }));
    await run.cluster.waitFor<Body>(example('before', 'doomed'), (o) => o?.status?.create_fn !== undefined);
    await run.cluster.delete({ resource: 'namespaces', name: 'doomed' });
    await run.waitForLog('[doomed/before] Deleted, really deleted, and we are notified.');
    await run.cluster.waitFor({ resource: 'namespaces', name: 'doomed' }, (o) => o === undefined);
    await run.cluster.apply(namespace);
    await run.cluster.apply(exampleBody('after', { namespace: 'doomed' }));
    await run.cluster.waitFor<Body>(example('after', 'doomed'), (o) => o?.status?.create_fn === 'after', {
      description: 'the result of create_fn in status (the re-created namespace is served)',
      timeout: 15,
    });
  });
});

describe('handlers that misbehave', () => {
  it('reports what a handler threw when it is not an Error, and gives up as asked', async () => {
    const thrown: Record<string, () => unknown> = {
      string: () => {
        throw 'a plain string';
      },
      number: () => {
        throw 42;
      },
      object: () => {
        throw { code: 7 };
      },
      undefined: () => {
        throw undefined;
      },
      null: () => Promise.reject(null),
    };
    run = await runOperator({
      registry: registryWith((name) => thrown[name.slice('throws-'.length)]?.(), { retries: 2 }),
      apply: CRD,
    });
    for (const kind of Object.keys(thrown)) await run.cluster.apply(exampleBody(`throws-${kind}`));
    const messages = {
      string: 'a plain string',
      number: '42',
      object: '{"code":7}',
      undefined: 'undefined',
      null: 'null',
    };
    for (const [kind, message] of Object.entries(messages)) {
      const prefix = `[default/throws-${kind}] Handler 'create_fn' failed with an exception and will`;
      await run.waitForLog(`${prefix} try again in 0.5 seconds: ${message}`);
      await run.waitForLog(`${prefix} stop now (it would exceed 2 retries on the next attempt): ${message}`);
      await run.waitForLog(`[default/throws-${kind}] Creation is processed: 0 succeeded; 1 failed.`);
    }
    await expectServed(run);
  });

  it('keeps serving other objects while a handler never returns, and still stops', async () => {
    run = await runOperator({ registry: registryWith(() => new Promise(() => {})), apply: CRD });
    await run.cluster.apply(exampleBody('never-returns'));
    await run.waitForLog("[default/never-returns] Handler 'create_fn' is invoked.");
    await expectServed(run);
    const stopping = Date.now();
    await run.stop();
    run = undefined;
    expect(Date.now() - stopping).toBeLessThan(30_000);
  });

  it('stores what JSON can hold of a result with functions, and keeps serving when a result cannot be stored at all', async () => {
    const results: Record<string, () => unknown> = {
      function: () => () => 'a function',
      bigint: () => 10n,
      circular,
    };
    run = await runOperator({
      registry: registryWith((name) => results[name.slice('returns-'.length)]?.()),
      apply: CRD,
    });
    for (const kind of Object.keys(results)) await run.cluster.apply(exampleBody(`returns-${kind}`));
    await creationFinished(run, 'returns-function');
    for (const kind of ['bigint', 'circular']) {
      const failure = new RegExp(`\\[default/returns-${kind}\\] .*(BigInt|circular|call stack)`);
      await run.waitForLog(failure);
      expect(run.lines('error').some((line) => failure.test(line))).toBe(true);
    }
    await expectServed(run);
  });
});
