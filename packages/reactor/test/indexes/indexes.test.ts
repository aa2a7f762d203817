import { type Body, on, Registry } from '@kopf/core';
import { FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, eventually } from '../talk/support.js';

let run: OperatorRun | undefined;
let server: FakeApiServer | undefined;
afterEach(async () => {
  await run?.stop();
  await server?.stop();
  run = server = undefined;
});

function example(name: string, size: string): Body {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name, namespace: 'default', labels: { size } },
    spec: {},
  };
}

const values = (store: Iterable<unknown> | undefined): unknown[] => [...(store ?? [])].sort();

describe('indexes against the fake API server', () => {
  it('are complete before the first handler runs, and follow creations, updates and deletions', async () => {
    server = await FakeApiServer.start();
    const setup = await runOperator({ registry: new Registry(), server, apply: CRD });
    await setup.cluster.apply([example('a', 'small'), example('b', 'large'), example('c', 'small')]);
    await setup.stop();

    const registry = new Registry();
    on.index('kopfexamples', { registry }, function bySize({ labels, name }) {
      return { [labels.size ?? '']: name };
    });
    const firstSeen: Record<string, unknown[]> = {};
    on.event('kopfexamples', { registry }, function look({ indexes, name }) {
      if (name && !(name in firstSeen)) firstSeen[name] = values(indexes.bySize?.get('small'));
    });
    const inHandlers: unknown[][] = [];
    on.update('kopfexamples', { registry }, function reader({ indexes }) {
      inHandlers.push(values(indexes.bySize?.get('large')));
    });
    run = await runOperator({ registry, server });
    const index = run.operator.indexes.bySize;
    await eventually(() => Object.keys(firstSeen).length === 3, 'every object is seen');
    expect(Object.values(firstSeen)).toEqual([
      ['a', 'c'],
      ['a', 'c'],
      ['a', 'c'],
    ]);

    await run.cluster.apply(example('d', 'large'));
    await eventually(() => values(index?.get('large')).length === 2, 'd is indexed');
    await run.cluster.patch(
      { resource: 'kopfexamples', name: 'a' },
      { metadata: { labels: { size: 'large' } } },
    );
    await eventually(() => values(index?.get('small')).length === 1, 'a moved out of small');
    expect(values(index?.get('large'))).toEqual(['a', 'b', 'd']);
    await run.cluster.patch({ resource: 'kopfexamples', name: 'a' }, { spec: { touched: true } });
    await eventually(() => inHandlers.length > 0, 'an update handler read the index');
    expect(inHandlers.at(-1)).toEqual(['a', 'b', 'd']);

    await run.cluster.delete({ resource: 'kopfexamples', name: 'c' });
    await eventually(() => !index?.has('small'), 'the emptied key is gone');
    expect([...(index?.keys() ?? [])]).toEqual(['large']);
  });

  it('keep values that JSON cannot hold: they live in memory, never in the object', async () => {
    const registry = new Registry();
    const shared = { self: undefined as unknown };
    shared.self = shared;
    on.index('kopfexamples', { registry }, function odd({ name }) {
      return { [String(name)]: name === 'a' ? 10n ** 20n : shared };
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply([example('a', 'small'), example('b', 'large')]);
    const index = run.operator.indexes.odd;
    await eventually(() => index?.get('a') !== undefined && index?.get('b') !== undefined, 'both indexed');
    expect([...(index?.get('a') ?? [])]).toEqual([10n ** 20n]);
    expect([...(index?.get('b') ?? [])]).toEqual([shared]);
    expect(run.lines('error')).toEqual([]);
  });
});
