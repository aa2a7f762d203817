/**
 * The Kopf talk's examples, declared with @kopf/core's public API and driven the
 * way the reactor drives them: select handlers for a cause, pick with the
 * lifecycle, invoke with kwargs. No I/O: the causes are built by hand.
 */
import {
  adopt,
  asap,
  type Body,
  type ChangingCause,
  type Diff,
  detectChangingCause,
  type EventSink,
  type Handler,
  info,
  invokeHandler,
  type Logger,
  label,
  on,
  Patch,
  type PostedEvent,
  PRESENT,
  parseSelector,
  Registry,
  type Resource,
  type ResourceSelector,
  sameSelector,
  type WatchingCause,
} from '@kopf/core';
import { describe, expect, it } from 'vitest';

const FINALIZER = 'kopf.zalando.org/KopfFinalizerMarker';
const kopfexamples = { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples' } as Resource;
const pods = { group: '', version: 'v1', plural: 'pods' } as Resource;
const lines: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: (message) => lines.push(message),
  warning: (message) => lines.push(message),
  warn: (message) => lines.push(message),
  error: (message) => lines.push(message),
};

function registerTalkHandlers(registry: Registry): void {
  on.create('kopfexamples', { registry }, function createFn({ spec }) {
    lines.push(`And here we are! Creating: ${JSON.stringify(spec)}`);
    return { message: 'hello world' };
  });
  on.create('kopfexamples', { registry }, function createFn2({ meta }) {
    lines.push(`Name: ${meta.name}`);
  });
  on.update('kopfexamples', { registry }, function updateFn({ old, new: fresh, diff }) {
    lines.push(
      `UPDATED: ${JSON.stringify(old?.spec)} -> ${JSON.stringify(fresh?.spec)}, ${diff.length} change(s)`,
    );
  });
  on.delete('kopfexamples', { registry }, function deleteFn() {
    lines.push('DELETED');
  });
  on.field('kopfexamples', { registry, field: 'spec.field' }, function fieldFn({ old, new: fresh }) {
    lines.push(`FIELD CHANGED: ${old} -> ${fresh}`);
  });
}

/** What the reactor does for one processing cycle of one object (simplified: no progress storage). */
async function processUntilDone(registry: Registry, cause: ChangingCause): Promise<Map<string, unknown>> {
  const matched = new Set<ResourceSelector>(
    registry.selectors().filter((s) => sameSelector(s, parseSelector(['kopfexamples']))),
  );
  const handlers = registry.forResource((selector) => matched.has(selector));
  const results = new Map<string, unknown>();
  const state = new Map<string, { retries: number }>();
  for (;;) {
    const due = handlers.changing(cause).filter((handler) => !results.has(handler.id));
    const [next] = asap(due, { state });
    if (next === undefined) return results;
    results.set(next.id, await invokeHandler(next, cause, { retry: 0, started: new Date(), runtime: 0 }));
  }
}

function body(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Body {
  return {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: {
      name: 'kopf-example-1',
      namespace: 'default',
      uid: 'uid-1',
      finalizers: [FINALIZER],
      ...extra,
    },
    spec,
  };
}

function changingCause(current: Body, old: ChangingCause['old'], diff: Diff): ChangingCause {
  return detectChangingCause({
    eventType: 'MODIFIED',
    finalizer: FINALIZER,
    resource: kopfexamples,
    body: current,
    patch: new Patch(),
    logger,
    memo: {},
    indexes: {},
    initial: false,
    diff,
    old,
    new: { spec: current.spec as Record<string, string> },
  });
}

describe("the talk's change-detection handlers", () => {
  const spec = { duration: '1m', field: 'value', items: ['item1', 'item2'] };

  it('run for creation (both create handlers, and the field handler seeing the new field)', async () => {
    const registry = new Registry();
    registerTalkHandlers(registry);
    lines.length = 0;
    const results = await processUntilDone(registry, changingCause(body(spec), undefined, []));
    expect([...results.keys()]).toEqual(['createFn', 'createFn2', 'fieldFn/spec.field']);
    expect(results.get('createFn')).toEqual({ message: 'hello world' });
    expect(lines).toEqual([
      `And here we are! Creating: ${JSON.stringify(spec)}`,
      'Name: kopf-example-1',
      'FIELD CHANGED: undefined -> value',
    ]);
  });

  it('run for an update of spec.field (update and field handlers with old/new/diff)', async () => {
    const registry = new Registry();
    registerTalkHandlers(registry);
    lines.length = 0;
    const changed = { ...spec, field: 'changed' };
    const diff: Diff = [{ operation: 'change', field: ['spec', 'field'], old: 'value', new: 'changed' }];
    const cause = changingCause(body(changed), { spec }, diff);
    expect(cause.reason).toBe('update');
    await processUntilDone(registry, cause);
    expect(lines).toEqual([
      `UPDATED: ${JSON.stringify(spec)} -> ${JSON.stringify(changed)}, 1 change(s)`,
      'FIELD CHANGED: value -> changed',
    ]);
  });

  it('run the delete handler on deletion, which needs the finalizer', async () => {
    const registry = new Registry();
    registerTalkHandlers(registry);
    lines.length = 0;
    const deleting = body(spec, { deletionTimestamp: '2024-01-01T00:00:00Z' });
    const cause = changingCause(deleting, { spec }, []);
    expect(cause.reason).toBe('delete');
    expect(registry.forResource(() => true).requiresFinalizer(cause)).toBe(true);
    await processUntilDone(registry, cause);
    expect(lines).toEqual(['DELETED']);
  });
});

describe("the talk's cross-resource example", () => {
  it('adopts a child job and watches its pods by a label filter', async () => {
    const registry = new Registry();
    const posted: PostedEvent[] = [];
    const eventSink: EventSink = { post: (event) => posted.push(event) };
    const created: Body[] = [];
    on.create('kopfexamples', { registry }, function createJob({ name, body: parent }) {
      const job: Body = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        spec: { template: { spec: { containers: [] } } },
      };
      adopt(job);
      label(job, { 'parent-name': name ?? '' }, { nested: ['spec.template'] });
      info(parent, { reason: 'JobCreated', message: 'a job is created' });
      created.push(job);
    });
    const seenPods: string[] = [];
    on.event('pods', { registry, labels: { 'parent-name': PRESENT } }, function podEvent({ name, labels }) {
      seenPods.push(`${name} of ${labels['parent-name']}`);
    });

    const parent = body({ field: 'value' });
    const cause = changingCause(parent, undefined, []);
    const [handler] = registry.forResource((s) => s.name === 'kopfexamples').changing(cause) as Handler[];
    await invokeHandler(
      handler as Handler,
      cause,
      { retry: 0, started: new Date(), runtime: 0 },
      { eventSink },
    );
    expect(created[0]?.metadata).toMatchObject({ generateName: 'kopf-example-1-', namespace: 'default' });
    expect(created[0]?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'KopfExample', uid: 'uid-1' });
    expect((created[0]?.spec as { template?: Body } | undefined)?.template?.metadata?.labels).toEqual({
      'parent-name': 'kopf-example-1',
    });
    expect(posted).toEqual([
      {
        ref: {
          apiVersion: 'kopf.dev/v1',
          kind: 'KopfExample',
          name: 'kopf-example-1',
          namespace: 'default',
          uid: 'uid-1',
        },
        type: 'Normal',
        reason: 'JobCreated',
        message: 'a job is created',
      },
    ]);

    const podHandlers = registry.forResource((s) => s.name === 'pods');
    for (const labels of [{ 'parent-name': 'kopf-example-1' }, { unrelated: 'x' }] as Record<
      string,
      string
    >[]) {
      const pod: Body = { metadata: { name: `pod-${Object.keys(labels)[0]}`, labels } };
      const event: WatchingCause = {
        resource: pods,
        body: pod,
        patch: new Patch(),
        logger,
        memo: {},
        indexes: {},
        type: 'ADDED',
        event: { type: 'ADDED', object: pod },
      };
      for (const podHandler of podHandlers.watching(event)) {
        await invokeHandler(podHandler, event, { retry: 0, started: new Date(), runtime: 0 });
      }
    }
    expect(seenPods).toEqual(['pod-parent-name of kopf-example-1']);
  });
});
