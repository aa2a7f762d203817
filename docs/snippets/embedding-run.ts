import { on } from '@kopf/core';
import { run } from '@kopf/reactor';

on.create('kopfexamples', function create_fn({ spec }) {
  return { message: `created with ${JSON.stringify(spec)}` };
});

// Until SIGINT or SIGTERM, then a graceful stop; rejects if the start fails.
await run({ namespaces: ['default'], liveness: 'http://0.0.0.0:8080/healthz' });
