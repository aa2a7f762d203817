import { on } from '@kopf/core';

// Every 10 seconds for every KopfExample, from the end of one run to the start of the next.
on.timer('kopfexamples', { interval: 10 }, function ping({ name, patch, logger }) {
  logger.debug(`Still there: ${name}`);
  patch.status.lastPing = new Date().toISOString(); // applied after each run
  return { pings: 'ok' }; // status.ping
});
