import { on } from '@kopf/core';

// Run when the liveness endpoint is asked (at most once per 10 s); the answer holds the
// results by probe id: {"version": "1.4.2", "pods_indexed": 3}
on.probe(function version() {
  return process.env.npm_package_version ?? 'dev';
});
on.probe(function pods_indexed({ indexes }) {
  return indexes.podNamesByNamespace?.size ?? 0;
});

// A probe that throws makes the liveness endpoint answer 500.
async function pingUpstream(): Promise<boolean> {
  const response = await fetch('https://upstream.example.com/health', { signal: AbortSignal.timeout(2_000) });
  return response.ok;
}
on.probe(async function upstream() {
  if (!(await pingUpstream())) throw new Error('The upstream does not answer.');
  return 'ok';
});
