/**
 * The version of kopf-ts, read from the cli package's own package.json so that it
 * never drifts from what was published.
 */
import { readFileSync } from 'node:fs';

/** The kopf-ts version, e.g. `0.1.0`. */
export const version: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
