/**
 * The liveness and readiness endpoints (Kopf's `health_reporter`, stricter).
 * Liveness (`--liveness http://0.0.0.0:8080/healthz`) answers 200 with the
 * `on.probe` results as JSON (`{"probe-id": result}`), run on demand and cached
 * for 10 seconds (concurrent requests share one run) — but only while the
 * operator really works (see `health.ts`); otherwise 503 with the problems, or
 * 500 when a probe fails. Readiness (`/readyz` on the same port) answers 200 once
 * every watched resource is listed, and 503 while starting, paused or stopping.
 */
import { allAtOnce, type HandlerId } from '@kopf/core';
import { type ActivityContext, ActivityError, runActivity } from './activities.js';
import type { Health } from './health.js';
import type { EndpointAnswer, Route } from './serving.js';
import { messageOf } from './thrown-values.js';

/** Seconds the probe results are reused. */
export const PROBE_CACHE_SECONDS = 10;

/** The readiness path served beside the liveness path. */
export const READINESS_PATH = '/readyz';

/** Runs the probe handlers on demand, reusing their results for 10 seconds. */
export class Probes {
  readonly #context: ActivityContext;
  #cached: { at: number; results: Record<HandlerId, unknown> } | undefined;
  #running: Promise<Record<HandlerId, unknown>> | undefined;

  constructor(context: ActivityContext) {
    this.#context = { ...context, lifecycle: allAtOnce };
  }

  /**
   * The results by probe id (probes that returned nothing are left out).
   *
   * @throws ActivityError when a probe fails.
   */
  async results(): Promise<Record<HandlerId, unknown>> {
    const now = this.#context.clock.now();
    if (this.#cached && now - this.#cached.at < PROBE_CACHE_SECONDS * 1000) return this.#cached.results;
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<Record<HandlerId, unknown>> {
    const outcomes = await runActivity('probe', this.#context);
    const results: Record<HandlerId, unknown> = {};
    for (const [id, outcome] of outcomes) if (outcome.result !== undefined) results[id] = outcome.result;
    this.#cached = { at: this.#context.clock.now(), results };
    return results;
  }
}

/** What the endpoints ask the operator. */
export interface ProbingState {
  readonly health: Health;
  readonly probes: Probes;
  /** Why the operator is not ready (empty when ready). */
  notReady(): string[];
}

const json = (status: number, body: unknown): EndpointAnswer => ({
  status,
  body: `${JSON.stringify(body)}\n`,
});

/** The routes of the liveness endpoint (its own path) and of readiness (`/readyz`). */
export function probingRoutes(livenessPath: string, state: ProbingState): Record<string, Route> {
  const liveness: Route = async () => {
    const problems = state.health.problems();
    if (problems.length > 0) return json(503, { status: 'failing', problems });
    try {
      return json(200, await state.probes.results());
    } catch (error) {
      if (!(error instanceof ActivityError)) throw error;
      const failures = Object.fromEntries(
        [...error.outcomes].map(([id, outcome]) => [id, messageOf(outcome.error)]),
      );
      return json(500, { status: 'failing', error: error.message, failures });
    }
  };
  const readiness: Route = async () => {
    const reasons = state.notReady();
    return reasons.length > 0 ? json(503, { status: 'not ready', reasons }) : json(200, { status: 'ready' });
  };
  return livenessPath === READINESS_PATH
    ? { [livenessPath]: liveness }
    : { [livenessPath]: liveness, [READINESS_PATH]: readiness };
}
