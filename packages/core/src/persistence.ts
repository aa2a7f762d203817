/**
 * The contracts of the state an operator keeps on the objects it handles: handler
 * progress (retries, delays, outcomes) and the last handled configuration (the
 * "diff-base" that changes are detected against). The reactor implements them in
 * Kopf's on-cluster formats; operators may plug in their own implementations
 * through the settings, so only the interfaces live here.
 */
import type { Body, JsonObject } from './bodies.js';
import type { Patch } from './patches.js';

/** A handler id: `create_fn`, `parent/child`, `update_fn/spec.field`. */
export type HandlerId = string;

/** The reason a handler runs, as stored in `purpose`. */
export type Reason = 'create' | 'update' | 'delete' | 'resume';

/**
 * A handler's progress as stored on the object (Kopf's `ProgressRecord`): all
 * timestamps are ISO-8601 with microseconds and `+00:00`; absent fields are omitted.
 */
export interface ProgressRecord {
  started?: string | null;
  stopped?: string | null;
  delayed?: string | null;
  purpose?: Reason | null;
  retries?: number | null;
  success?: boolean | null;
  failure?: boolean | null;
  message?: string | null;
  subrefs?: HandlerId[] | null;
}

/** The essence of a body: what change detection compares (spec, labels, annotations, …). */
export type BodyEssence = JsonObject;

/**
 * Where handler progress lives (annotations by default, as in Kopf).
 * All writes go into `patch`; nothing is sent by the storage itself.
 */
export interface ProgressStorage {
  /** Reads a handler's progress record from the body, or `undefined` if there is none. */
  fetch(key: HandlerId, body: Body): ProgressRecord | undefined;
  /** Writes a handler's progress record into the patch (the body is only read). */
  store(key: HandlerId, record: ProgressRecord, body: Body, patch: Patch): void;
  /** Removes a handler's progress record (through the patch) once its cause is done. */
  purge(key: HandlerId, body: Body, patch: Patch): void;
  /** Writes (or with `undefined`, removes) the dummy value that wakes the operator after a delay. */
  touch(body: Body, patch: Patch, value: string | undefined): void;
  /** Removes this storage's own traces from an essence, so they never count as changes. */
  clear(essence: BodyEssence): BodyEssence;
}

/** Where the last handled configuration lives (an annotation by default, as in Kopf). */
export interface DiffBaseStorage {
  /** The essence of a body: what is compared to detect changes. `extraFields` are kept even outside spec. */
  build(body: Body, extraFields?: readonly (readonly string[])[]): BodyEssence;
  /** The last handled essence stored on the body, or `undefined` for an object never handled (a creation). */
  fetch(body: Body): BodyEssence | undefined;
  /** Writes the essence as the new last handled state into the patch. */
  store(body: Body, patch: Patch, essence: BodyEssence): void;
}
