import { run } from '@kopf/reactor';

await run({
  settings: {
    // At most 50 objects of each resource handled at once (default: no limit).
    queueing: { workerLimit: 50 },
    // No "Handler … succeeded." Events: failures and warnings only, half the POSTs under load.
    posting: { level: 'warning' },
  },
  metrics: 'http://0.0.0.0:9090/metrics', // kopf_queue_depth, kopf_object_workers, durations
});
