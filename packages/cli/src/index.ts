/**
 * @packageDocumentation
 * The `kopf` command: run, develop against a fake cluster, and generate manifests.
 * Start from `main`, or use the `kopf` binary.
 */

export type { Output } from './main.js';
export { main } from './main.js';
export { version } from './version.js';
