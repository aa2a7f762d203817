import { type Body, on, Registry } from '@kopf/core';
import type { DaemonReport } from '@kopf/reactor';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ, waitGone } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('daemons against the fake API server', () => {
  it('run with the fresh body, see `stopped` on deletion, and hold the deletion until they exit', async () => {
    const registry = new Registry();
    const seen: unknown[] = [];
    let exitedAt = 0;
    on.daemon('kopfexamples', { registry }, async function monitor({ stopped, body }) {
      while (!stopped.aborted) {
        seen.push((body.spec as { field?: unknown }).field);
        await stopped.wait(0.05);
      }
      seen.push(`stopped: ${stopped.reason}`);
      await new Promise((resolve) => setTimeout(resolve, 400)); // cleaning up
      exitedAt = Date.now();
    });
    run = await runOperator({ registry, apply: CRD });
    const events: string[] = [];
    run.operator.on('daemonStarted', (r: DaemonReport) => events.push(`started ${r.handler}`));
    run.operator.on('daemonStopped', (r: DaemonReport) => events.push(`stopped ${r.handler} ${r.reason}`));
    await run.cluster.apply(OBJ);
    await eventually(() => seen.includes('value'), 'the daemon sees the body');
    await run.cluster.patch(EXAMPLE, { spec: { field: 'changed' } });
    await eventually(() => seen.includes('changed'), 'the daemon sees the change in its body');

    await run.cluster.delete(EXAMPLE);
    const deleting = await run.cluster.get<Body>(EXAMPLE);
    expect(deleting?.metadata?.deletionTimestamp).toBeDefined();
    await waitGone(run);
    const goneAt = Date.now();
    expect(seen).toContain('stopped: resource-deleted');
    expect(exitedAt).toBeGreaterThan(0);
    expect(goneAt).toBeGreaterThanOrEqual(exitedAt);
    expect(events).toEqual(['started monitor', 'stopped monitor resource-deleted']);
  });

  it('see fresh values in destructured spec, labels and meta (live views, as in Kopf)', async () => {
    const registry = new Registry();
    const seen: string[] = [];
    on.daemon('kopfexamples', { registry }, async function watcher({ stopped, spec, labels, meta }) {
      while (!stopped.aborted) {
        seen.push(`${String(spec.field)} ${String(labels.somelabel)} ${String(meta.generation)}`);
        await stopped.wait(0.05);
      }
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await eventually(() => seen.includes('value somevalue 1'), 'the daemon sees the body');
    await run.cluster.patch(EXAMPLE, {
      spec: { field: 'changed' },
      metadata: { labels: { somelabel: 'new' } },
    });
    await eventually(() => seen.includes('changed new 2'), 'the destructured kwargs follow the object');
  });

  it('are restarted per backoff when they fail, and not after a normal return', async () => {
    const registry = new Registry();
    const attempts: number[] = [];
    on.daemon('kopfexamples', { registry, backoff: 0.1 }, function crashing({ retry }) {
      attempts.push(retry);
      if (retry < 2) throw new Error(`crash #${retry}`);
      return { ok: true };
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await run.waitForLog("Daemon 'crashing' has exited on its own and will not be retried or restarted.");
    expect(attempts).toEqual([0, 1, 2]);
    expect(run.lines()).toContain(
      "[default/kopf-example-1] Daemon 'crashing' failed with an exception and will try again in 0.1 seconds: crash #0",
    );
    await run.cluster.waitFor<Body>(EXAMPLE, (o) => (o?.status?.crashing as { ok?: boolean })?.ok === true);
    await run.cluster.patch(EXAMPLE, { spec: { field: 'again' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('that ignore `stopped` are abandoned after their cancellation timeout; the object is not left stuck', async () => {
    const registry = new Registry();
    let release: () => void = () => {};
    let running = false;
    on.daemon('kopfexamples', { registry, cancellationTimeout: 0.5 }, function stubborn() {
      running = true;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await run.cluster.waitFor<Body>(EXAMPLE, (o) => (o?.metadata?.finalizers?.length ?? 0) > 0);
    await eventually(() => running, 'the daemon runs');
    const started = Date.now();
    await run.cluster.delete(EXAMPLE);
    await waitGone(run);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(run.lines()).toContain(
      "[default/kopf-example-1] Daemon 'stubborn' did not exit in time. Leaving it orphaned.",
    );
    release();
  });

  it('stop when their filters stop matching, and start again when they match', async () => {
    const registry = new Registry();
    const log: string[] = [];
    on.daemon('kopfexamples', { registry, labels: { run: 'yes' } }, async function picky({ stopped }) {
      log.push('start');
      await stopped.wait();
      log.push(String(stopped.reason));
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await run.cluster.patch(EXAMPLE, { metadata: { labels: { run: 'yes' } } });
    await eventually(() => log.length === 1, 'the daemon starts');
    await run.cluster.patch(EXAMPLE, { metadata: { labels: { run: 'no' } } });
    await eventually(() => log.length === 2, 'the daemon stops');
    await run.cluster.patch(EXAMPLE, { metadata: { labels: { run: 'yes' } } });
    await eventually(() => log.length === 3, 'the daemon starts again');
    expect(log).toEqual(['start', 'filters-mismatch', 'start']);
  });

  it('are stopped (operator-exiting) when the operator stops', async () => {
    const registry = new Registry();
    const log: string[] = [];
    on.daemon('kopfexamples', { registry }, async function lasting({ stopped }) {
      log.push('start');
      await stopped.wait();
      log.push(String(stopped.reason));
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);
    await eventually(() => log.length === 1, 'the daemon starts');
    const stopping = run;
    run = undefined;
    await stopping.stop();
    expect(log).toEqual(['start', 'operator-exiting']);
  });
});
