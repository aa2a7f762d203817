/**
 * The `patch` handlers receive: a merge-patch accumulator. Handlers write into it
 * (`patch.status.message = 'done'`, `patch.metadata.labels.x = null` to remove a
 * label); the reactor applies everything collected in a cycle in as few API calls
 * as possible. Views such as `patch.spec` appear on first use and vanish again from
 * the result if nothing was written into them, so reading never creates a change.
 */
import type { Body } from './bodies.js';

/** A transformation of a whole body, for changes a merge patch cannot express (turned into JSON Patch). */
export type PatchFn = (body: Body) => Body;

type Json = Record<string, unknown>;

/**
 * A merge patch (RFC 7386) being built, with convenient views.
 *
 * @example
 * on.create('kopfexamples', ({ patch }) => {
 *   patch.status.phase = 'Running';
 *   patch.metadata.labels.stage = 'ready';
 *   patch.metadata.annotations['old-note'] = null; // removes it
 * });
 */
export class Patch {
  /** The raw merge-patch body (also writable directly). */
  readonly body: Json = {};
  /** Body transformations for what a merge patch cannot do; applied as JSON Patch. */
  readonly fns: PatchFn[] = [];
  readonly #lazy = new WeakSet<object>();

  /** `patch.spec`: changes to the object's spec. */
  get spec(): Json {
    return this.#view(this.body, 'spec');
  }

  /** `patch.status`: changes to the status (sent to `/status` when it is a subresource). */
  get status(): Json {
    return this.#view(this.body, 'status');
  }

  /** `patch.metadata`: with `labels` and `annotations` views of their own. */
  get metadata(): Json & {
    labels: Record<string, string | null>;
    annotations: Record<string, string | null>;
  } {
    const meta = this.#view(this.body, 'metadata');
    for (const key of ['labels', 'annotations']) {
      if (!Object.hasOwn(meta, key)) this.#lazyProperty(meta, key);
    }
    return meta as Json & {
      labels: Record<string, string | null>;
      annotations: Record<string, string | null>;
    };
  }

  /** Kopf's alias of {@link Patch.metadata}. */
  get meta(): Json & { labels: Record<string, string | null>; annotations: Record<string, string | null> } {
    return this.metadata;
  }

  /** Whether nothing has been written into this patch. */
  get isEmpty(): boolean {
    return Object.keys(this.toMergePatch()).length === 0 && this.fns.length === 0;
  }

  /** The merge patch, without the views that were only read. */
  toMergePatch(): Json {
    return this.#pruned(this.body) ?? {};
  }

  /** Clears everything written so far. */
  clear(): void {
    for (const key of Object.keys(this.body)) delete this.body[key];
    this.fns.length = 0;
  }

  #view(parent: Json, key: string): Json {
    const existing = parent[key];
    if (existing !== null && typeof existing === 'object' && !Array.isArray(existing))
      return existing as Json;
    const created: Json = {};
    this.#lazy.add(created);
    parent[key] = created;
    return created;
  }

  #lazyProperty(target: Json, key: string): void {
    Object.defineProperty(target, key, {
      configurable: true,
      enumerable: false,
      get: () => {
        const created: Json = {};
        this.#lazy.add(created);
        Object.defineProperty(target, key, {
          value: created,
          writable: true,
          enumerable: true,
          configurable: true,
        });
        return created;
      },
      set: (value: unknown) => {
        Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
      },
    });
  }

  /** A copy without auto-created views left empty; `undefined` when nothing remains. */
  #pruned(value: Json): Json | undefined {
    const result: Json = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
        const inner = this.#pruned(child as Json);
        if (inner !== undefined) result[key] = inner;
        else if (!this.#lazy.has(child)) result[key] = {};
      } else if (child !== undefined) {
        result[key] = child;
      }
    }
    return Object.keys(result).length === 0 && this.#lazy.has(value) ? undefined : result;
  }
}
