import { MemorySink, Operator } from '@kopf/reactor';
import { FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import './operator.js';

let server: FakeApiServer | undefined;
let operator: Operator | undefined;
afterEach(async () => {
  await operator?.stop();
  await server?.stop();
  delete process.env.KOPF_EXAMPLE_SERVER;
});

describe('13-hooks', () => {
  it('logs in, starts after a retried startup, serves the probes, and cleans up on stop', async () => {
    server = await FakeApiServer.start();
    process.env.KOPF_EXAMPLE_SERVER = server.url;
    process.env.KOPF_EXAMPLE_CA = server.caData;
    process.env.KOPF_EXAMPLE_TOKEN = server.token;
    const logs = new MemorySink();
    operator = new Operator({ logs, liveness: 'http://127.0.0.1:0/healthz' });
    await operator.start();
    await operator.ready;
    const response = await fetch(`${operator.livenessUrl}/healthz`);
    const probes = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    expect(probes.startup_attempts).toBe(2);
    expect(typeof probes.started_at).toBe('string');
    await operator.stop();
    const lines = logs.lines('info');
    expect(lines).toEqual(
      expect.arrayContaining([
        "Activity 'login_fn' succeeded.",
        "Activity 'startup_fn' failed temporarily: Going to succeed in a moment.",
        'Starting in 3… 2… 1…',
        'Cleaning up: the operator is stopping.',
      ]),
    );
  });
});
