/**
 * @packageDocumentation
 * The engine of kopf-ts: per-object queues, cause detection, progress kept on the
 * object, retries, daemons and timers. Embeddable in any Node service.
 */

export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
