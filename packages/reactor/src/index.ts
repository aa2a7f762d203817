/**
 * @packageDocumentation
 * The engine of kopf-ts: per-object queues, cause detection, progress kept on the
 * object, retries, daemons and timers. Embeddable in any Node service.
 */

export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { Pressure } from './pressure.js';
export type { ProcessingContext, Processor, QueueingOptions } from './queueing.js';
export { ObjectQueues } from './queueing.js';
