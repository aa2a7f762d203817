/**
 * Operator hooks (Kopf's example 13): startup (retried until it succeeds; the
 * operator starts watching only after it), cleanup on a graceful stop, a custom
 * login returning the credentials, and probes whose results the liveness endpoint
 * serves (`kopf run --liveness http://0.0.0.0:8080/healthz`).
 */
import { type ConnectionInfo, on, TemporaryError } from '@kopf/core';

declare module '@kopf/core' {
  interface Memo {
    startedAt?: string;
    attempts?: number;
  }
}

on.startup(function startup_fn({ memo, logger, retry }) {
  memo.attempts = retry + 1;
  if (retry < 1) throw new TemporaryError('Going to succeed in a moment.', { delay: 0.1 });
  memo.startedAt = new Date().toISOString();
  logger.info('Starting in 3… 2… 1…');
});

on.cleanup(function cleanup_fn({ logger }) {
  logger.info('Cleaning up: the operator is stopping.');
});

/** Where the cluster is: from the environment (a real operator would read a vault or a file). */
on.login(function login_fn(): ConnectionInfo | undefined {
  const server = process.env.KOPF_EXAMPLE_SERVER;
  if (!server) return undefined;
  return { server, caData: process.env.KOPF_EXAMPLE_CA, token: process.env.KOPF_EXAMPLE_TOKEN };
});

on.probe(function started_at({ memo }) {
  return memo.startedAt;
});

on.probe(function startup_attempts({ memo }) {
  return memo.attempts;
});
