import { type Body, on, Registry, TemporaryError } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, OBJ } from '../talk/support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

/** The value of one sample line of the Prometheus text (`undefined` when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('the metrics endpoint', () => {
  it('counts handler runs, retries, API calls, watch restarts and running daemons', async () => {
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn({ retry }) {
      if (retry === 0) throw new TemporaryError('not yet', { delay: 0.05 });
      return { ok: true };
    });
    on.daemon('kopfexamples', { registry }, async function watcher({ stopped }) {
      await stopped.wait();
    });
    run = await runOperator({ registry, apply: CRD, metrics: 'http://127.0.0.1:0/metrics' });
    await run.cluster.apply(OBJ);
    await run.cluster.waitFor<Body>(EXAMPLE, (o) => o?.status?.create_fn !== undefined);
    run.server.faults.compactHistory();
    run.server.faults.dropWatches({ resource: 'kopfexamples' });
    await run.waitForLog('Restarting the watch-stream for kopfexamples');

    const response = await fetch(`${run.operator.metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const resource = 'kopfexamples.v1.kopf.dev';
    const handler = { handler: 'create_fn', kind: 'create', resource };
    expect(sample(text, 'kopf_handler_runs_total', { ...handler, outcome: 'temporary' })).toBe(1);
    expect(sample(text, 'kopf_handler_runs_total', { ...handler, outcome: 'success' })).toBe(1);
    expect(sample(text, 'kopf_handler_retries_total', { handler: 'create_fn', resource })).toBe(1);
    expect(sample(text, 'kopf_handler_duration_seconds_count', handler)).toBe(2);
    expect(sample(text, 'kopf_api_requests_total', { verb: 'patch', code: '2xx' })).toBeGreaterThan(0);
    expect(sample(text, 'kopf_api_requests_total', { verb: 'watch', code: '2xx' })).toBeGreaterThan(0);
    expect(sample(text, 'kopf_watch_restarts_total', { resource })).toBeGreaterThan(0);
    expect(sample(text, 'kopf_daemons_running', { kind: 'daemon' })).toBe(1);
    expect(sample(text, 'kopf_object_workers', { resource })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'kopf_operator_paused', {})).toBe(0);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
