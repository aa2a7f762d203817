/**
 * Timers (Kopf's example 15): a function called every `interval` seconds per
 * object, or only once the object has been quiet (`idle`) for a while. Results land
 * in `status.<id>`; failures are retried like handlers'.
 */
import { on } from '@kopf/core';

on.timer('kopfexamples', { interval: 0.3 }, function every_interval({ spec }) {
  return { seen: spec.field, at: new Date().toISOString() };
});

on.timer('kopfexamples', { idle: 0.5, interval: 0.3 }, function when_idle({ logger, name }) {
  logger.info(`${name} has been quiet for a while.`);
  return { quiet: true };
});
