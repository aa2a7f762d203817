/**
 * `settings.watching.clientTimeout` (Kopf's `watching.client_timeout`): the operator
 * ends its watch requests after that long and resumes them where they stopped, so
 * objects created across those restarts are each handled once, and nothing re-lists.
 */
import { on, Registry } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, eventually } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const example = (name: string) => ({
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: { name, namespace: 'default' },
  spec: {},
});

describe('watching.clientTimeout', () => {
  it('restarts the watch requests that often, and every object is still handled once', async () => {
    const handled: string[] = [];
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn({ name }) {
      handled.push(String(name));
    });
    run = await runOperator({
      registry,
      apply: CRD,
      settings: { watching: { clientTimeout: 0.3, reconnectBackoff: 0.01 } },
    });
    const counted = { verb: 'watch', resource: 'kopfexamples' } as const;
    const listsAtStart = run.server.counters.get({ verb: 'list', resource: 'kopfexamples' });
    const watchesAtStart = run.server.counters.get(counted);
    const restarted = (): number => (run?.server.counters.get(counted) ?? 0) - watchesAtStart;
    for (let i = 0; i < 5; i++) {
      await run.cluster.apply(example(`obj-${i}`));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await eventually(() => restarted() >= 3, 'three watch requests after the first');
    await run.cluster.apply(example('obj-5'));
    await eventually(() => handled.length >= 6, 'all six objects are handled');
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a repeated handling to show
    expect(handled.sort()).toEqual(['obj-0', 'obj-1', 'obj-2', 'obj-3', 'obj-4', 'obj-5']);
    expect(run.server.counters.get({ verb: 'list', resource: 'kopfexamples' })).toBe(listsAtStart);
  });
});
