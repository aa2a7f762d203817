import { info, on, Registry, warn } from '@kopf/core';
import { FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

async function eventsAbout(run: OperatorRun): Promise<{ type: string; reason: string; message: string }[]> {
  const events = await run.cluster.events(EXAMPLE);
  return events.map((e) => ({ type: String(e.type), reason: String(e.reason), message: String(e.message) }));
}

describe('Kubernetes Events (Kopf example 04)', () => {
  it('posts Events from info() and warn() in handlers, about the handled object', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn({ body }) {
      info(body, { reason: 'SomeReason', message: 'Some message' });
      warn(body, { reason: 'SomeReason', message: 'Some warning' });
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    const current = run;
    await eventually(async () => (await eventsAbout(current)).length >= 3, 'three Events are posted');
    expect(await eventsAbout(run)).toEqual(
      expect.arrayContaining([
        { type: 'Normal', reason: 'SomeReason', message: 'Some message' },
        { type: 'Warning', reason: 'SomeReason', message: 'Some warning' },
        { type: 'Normal', reason: 'Success', message: "Handler 'create_fn' succeeded." },
      ]),
    );
  });

  it('mirrors per-object log lines as Events with reason Logging when posting.loggers is on', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn({ logger }) {
      logger.info('Hello from the handler.');
      logger.debug('Not posted: below the posting level.');
    });
    run = await runOperator({ registry, apply: CRD, settings: { posting: { loggers: true } } });
    await run.cluster.apply(OBJ);
    const current = run;
    await eventually(
      async () =>
        (await eventsAbout(current)).some(
          (e) => e.message === 'Creation is processed: 1 succeeded; 0 failed.',
        ),
      'the log lines are posted',
    );
    const events = await eventsAbout(run);
    expect(events).toContainEqual({ type: 'Normal', reason: 'Logging', message: 'Hello from the handler.' });
    expect(events).toContainEqual({
      type: 'Normal',
      reason: 'Logging',
      message: "Handler 'create_fn' succeeded.",
    });
    expect(events.map((e) => e.message)).not.toContain('Not posted: below the posting level.');
    // No duplicate outcome Events when the log lines are mirrored.
    expect(events.filter((e) => e.reason === 'Success')).toEqual([]);
  });

  it('posts no success Events for resume handlers (every object resumes on every restart)', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {});
    on.resume('kopfexamples', { registry }, function resume_fn() {});
    const server = await FakeApiServer.start();
    try {
      run = await runOperator({ registry, server, apply: CRD });
      await run.cluster.apply(OBJ);
      await run.waitForLog('Creation is processed: 1 succeeded; 0 failed.');
      await run.stop();
      run = await runOperator({ registry, server });
      await run.waitForLog("Handler 'resume_fn' succeeded.");
      const current = run;
      await eventually(
        async () => (await eventsAbout(current)).some((e) => e.message.includes('create_fn')),
        'posted',
      );
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the poster's batching window
      const messages = (await eventsAbout(run)).map((e) => e.message);
      expect(messages).toContain("Handler 'create_fn' succeeded.");
      expect(messages).not.toContain("Handler 'resume_fn' succeeded.");
    } finally {
      await run?.stop();
      run = undefined;
      await server.stop();
    }
  });
});
