import { on } from '@kopf/core';

// The backoff of arbitrary errors for every handler without its own `backoff`.
on.startup(({ settings }) => {
  settings.execution.defaultBackoff = 10;
  // Delays (seconds) when processing an object fails outside any handler; the last repeats.
  settings.queueing.errorDelays = [1, 2, 5, 10, 30, 60];
});
