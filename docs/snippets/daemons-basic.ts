import { on } from '@kopf/core';

// One long-running function per KopfExample, for as long as the object exists.
on.daemon('kopfexamples', async function monitor({ stopped, spec, name, logger }) {
  logger.info(`Monitoring ${name}.`);
  while (!stopped.aborted) {
    logger.debug(`The field is now ${String(spec.field)}.`); // spec is kept up to date in place
    await stopped.wait(10); // sleeps 10 s, or returns at once when the daemon must stop
  }
  logger.info(`Stopped monitoring ${name}: ${stopped.reason}.`);
});
