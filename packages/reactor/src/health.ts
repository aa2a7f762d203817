/**
 * Whether the operator is really working, for the liveness endpoint: every
 * watcher alive and not stuck in errors, and the event loop responsive. A watcher
 * whose requests keep failing (two errors in a row, and the next one due) or that
 * has died is a problem; one transient error is not. Kopf's own probe only proves
 * that its reporting task runs; this one notices dead and failing watch streams.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { WatchRestart, WatchRestartReason } from '@kopf/k8s';
import type { WatcherObserver } from './streaming.js';

/** Consecutive failed requests after which a watcher counts as failing. */
const FAILING_AFTER = 2;
/**
 * Seconds, beyond the retry delay, within which the next error is expected while
 * the watcher keeps failing; without one, the retry is taken to have succeeded (a
 * quiet watch reports nothing when it works).
 */
const ERROR_GRACE = 5;
/** Milliseconds of event-loop delay that make the operator unresponsive. */
const LOOP_DELAY_LIMIT = 10_000;

interface WatcherState {
  errors: number;
  lastErrorAt: number;
  lastErrorDelay: number;
  lastError: string;
  dead: string | undefined;
}

/** The health of one operator's watchers and event loop. */
export class Health {
  readonly #watchers = new Map<string, WatcherState>();
  #loop: IntervalHistogram | undefined;
  readonly #now: () => number;

  /** `now`: ms since the epoch (the reactor's clock). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Starts measuring the event loop. */
  start(): void {
    this.#loop ??= monitorEventLoopDelay({ resolution: 50 });
    this.#loop.enable();
  }

  /** Stops measuring the event loop. */
  stop(): void {
    this.#loop?.disable();
    this.#loop = undefined;
  }

  /** The observer to give the watcher of `key` (its target). */
  watcher(key: string): WatcherObserver & { failed(error: unknown): void } {
    const state: WatcherState = {
      errors: 0,
      lastErrorAt: 0,
      lastErrorDelay: 0,
      lastError: '',
      dead: undefined,
    };
    this.#watchers.set(key, state);
    return {
      received: () => {
        state.errors = 0;
      },
      restarted: (reason: WatchRestartReason, details: WatchRestart) => {
        if (reason !== 'error') {
          state.errors = 0;
          return;
        }
        state.errors += 1;
        state.lastErrorAt = this.#now();
        state.lastErrorDelay = details.delay;
        state.lastError = details.error instanceof Error ? details.error.message : String(details.error);
      },
      ended: () => {
        if (state.dead === undefined && this.#watchers.get(key) === state) this.#watchers.delete(key);
      },
      failed: (error: unknown) => {
        state.dead = error instanceof Error ? error.message : String(error);
        this.#watchers.set(key, state);
      },
    };
  }

  /** What is wrong now (empty when healthy); measures the event loop since the last call. */
  problems(): string[] {
    const problems: string[] = [];
    const now = this.#now();
    for (const [key, state] of this.#watchers) {
      if (state.dead !== undefined) problems.push(`The watcher of ${key} has died: ${state.dead}`);
      else if (
        state.errors >= FAILING_AFTER &&
        now - state.lastErrorAt < (state.lastErrorDelay + ERROR_GRACE) * 1000
      )
        problems.push(
          `The watcher of ${key} keeps failing (${state.errors} errors in a row): ${state.lastError}`,
        );
    }
    const delay = (this.#loop?.max ?? 0) / 1e6;
    this.#loop?.reset();
    if (delay > LOOP_DELAY_LIMIT)
      problems.push(`The event loop was blocked for ${Math.round(delay / 1000)} seconds.`);
    return problems;
  }
}
