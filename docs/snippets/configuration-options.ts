import { run } from '@kopf/reactor';

await run({
  settings: {
    // Only the settings given change; the rest keep Kopf's defaults.
    posting: { loggers: true },
    networking: { requestTimeout: 60, errorBackoffs: [1, 2, 4] },
    persistence: { consistencyTimeout: 10 },
  },
});
