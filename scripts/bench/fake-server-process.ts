/**
 * The fake API server as a benchmark actor in its own process (see
 * `child-processes.ts`), so that its CPU is not the operator's. It announces how to
 * connect (URL, CA, token) and answers `counters` (the request counters' snapshot,
 * `"<verb> <resource>.<group>[/<subresource>]"` → count), `reset-counters`, `usage`
 * (its CPU time and memory) and `stop`.
 *
 *   forkChild('scripts/bench/fake-server-process.ts', { args: ['{"historySize":200000}'] })
 */
import { FakeApiServer, type FakeApiServerOptions } from '@kopf/testing';
import { serveParent } from './child-processes.js';
import { memoryReading } from './memory-readings.js';

const options = JSON.parse(process.argv[2] ?? '{}') as FakeApiServerOptions;
const server = await FakeApiServer.start(options);
serveParent(
  { url: server.url, caData: server.caData, token: server.token },
  {
    counters: () => server.counters.snapshot(),
    'reset-counters': () => server.counters.reset(),
    usage: () => memoryReading(),
    stop: () => server.stop(),
  },
);
