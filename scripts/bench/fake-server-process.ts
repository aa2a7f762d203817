/**
 * The fake API server as a benchmark (or chaos) actor in its own process (see
 * `child-processes.ts`), so that its CPU is not the operator's. It announces how to
 * connect (URL, CA, token) and answers `counters` (the request counters' snapshot,
 * `"<verb> <resource>.<group>[/<subresource>]"` → count), `reset-counters`, `usage`
 * (its CPU time and memory) and `stop`; and, for the chaos run, the server's faults:
 * `drop-watches`, `compact-history`, `fail-writes` (fail a share of one user's
 * writes, see `scripts/chaos/write-faults.ts`) and `stop-faults`.
 *
 *   forkChild('scripts/bench/fake-server-process.ts', { args: ['{"historySize":200000}'] })
 */
import { type DropOptions, FakeApiServer, type FakeApiServerOptions } from '@kopf/testing';
import { type WriteFaultPlan, WriteFaultSampler } from '../chaos/write-faults.js';
import { serveParent } from './child-processes.js';
import { memoryReading } from './memory-readings.js';

const options = JSON.parse(process.argv[2] ?? '{}') as FakeApiServerOptions;
let started: FakeApiServer | undefined;
const writeFaults = new WriteFaultSampler(() => started?.faults);
const server = await FakeApiServer.start({ ...options, authorize: writeFaults.authorize });
started = server;
serveParent(
  { url: server.url, caData: server.caData, token: server.token },
  {
    counters: () => server.counters.snapshot(),
    'reset-counters': () => server.counters.reset(),
    usage: () => memoryReading(),
    'drop-watches': (payload) => server.faults.dropWatches((payload ?? undefined) as DropOptions | undefined),
    'compact-history': () => server.faults.compactHistory(),
    'fail-writes': (payload) => writeFaults.start(payload as WriteFaultPlan),
    'stop-faults': () => {
      server.faults.reset();
      return writeFaults.stop();
    },
    stop: () => server.stop(),
  },
);
