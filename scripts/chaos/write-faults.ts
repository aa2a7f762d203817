/**
 * Failing a share of one user's writes (the operator's) with 500 or 429, inside the
 * fake API server's process. The server's fault API fails "the next N matching
 * requests"; this sampler watches every request through the server's `authorize`
 * hook and, for a sampled write, asks the server to fail the next write of the same
 * verb and resource. Failed requests never reach the hook, so a write is sampled
 * with probability `ratio / (1 - ratio)`: of all writes, `ratio` fail.
 */
import type { FailureFault, RequestInfo, UserInfo } from '@kopf/testing';
import { Randomness } from './randomness.js';

/** The verbs that change objects. */
const WRITE_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** What the sampler needs from the server: its `faults.failNext`. */
export interface FailNext {
  failNext(fault: FailureFault): void;
}

/** Which writes to fail, and how. */
export interface WriteFaultPlan {
  /** The share of the user's writes that fail, e.g. 0.05. */
  readonly ratio: number;
  /** Whose writes: the user name the server authenticates them as. */
  readonly username: string;
  /** The seed of the choices (which writes, 500 or 429). */
  readonly seed: string;
}

/** How many writes the sampler saw pass and how many it failed. */
export interface WriteFaultCounts {
  readonly passed: number;
  readonly failed: number;
  /** By failure code, e.g. `{ "500": 12, "429": 9 }`. */
  readonly byCode: Readonly<Record<string, number>>;
}

/** Samples one user's writes; inactive until `start()`. */
export class WriteFaultSampler {
  #plan: WriteFaultPlan | undefined;
  #random: Randomness | undefined;
  #passed = 0;
  #failed = 0;
  readonly #byCode: Record<string, number> = {};
  readonly #faults: () => FailNext | undefined;

  /** `faults` is read lazily: the hook exists before the server does. */
  constructor(faults: () => FailNext | undefined) {
    this.#faults = faults;
  }

  /** Starts failing writes as planned (again from zero counts). */
  start(plan: WriteFaultPlan): void {
    this.#plan = plan;
    this.#random = new Randomness(plan.seed);
    this.#passed = this.#failed = 0;
    for (const code of Object.keys(this.#byCode)) delete this.#byCode[code];
  }

  /** Stops sampling; resolves to what it did. (Failures already asked for stay pending; reset the faults.) */
  stop(): WriteFaultCounts {
    this.#plan = undefined;
    return this.counts();
  }

  /** The counts so far. */
  counts(): WriteFaultCounts {
    return { passed: this.#passed, failed: this.#failed, byCode: { ...this.#byCode } };
  }

  /** The server's `authorize` hook: allows everything, and samples the planned user's writes. */
  readonly authorize = (user: UserInfo, request: RequestInfo): true => {
    const plan = this.#plan;
    const random = this.#random;
    if (!plan || !random || user.username !== plan.username) return true;
    if (request.kind !== 'resource' || !WRITE_VERBS.has(request.verb)) return true;
    const index = this.#passed++;
    if (!random.chance(plan.ratio / (1 - plan.ratio), 'write', index)) return true;
    const code = random.chance(0.5, 'code', index) ? 500 : 429;
    const { verb, group, resource, subresource } = request;
    this.#faults()?.failNext({ verb, group, resource, subresource, count: 1, code, retryAfter: 1 });
    this.#failed += 1;
    this.#byCode[code] = (this.#byCode[code] ?? 0) + 1;
    return true;
  };
}
