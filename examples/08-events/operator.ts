/**
 * Event handlers (Kopf's example 08 and the talk): called for every watch event,
 * raw and without retries; an error in one is logged and ignored.
 */
import { on } from '@kopf/core';

on.event('kopfexamples', function event_fn_with_error() {
  throw new Error('Oops!');
});

on.event('kopfexamples', function normal_event_fn({ event, logger }) {
  logger.info(`Event received: ${event.type ?? 'LISTED'} ${event.object.metadata?.name}`);
});
