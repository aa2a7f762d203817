/**
 * Per-object queues: events of one object are processed one at a time, in order;
 * different objects in parallel (up to a limit). A worker exists only while its
 * object has events, and exits after an idle timeout, so dormant objects cost no
 * memory. After the processor patches an object, the worker waits (bounded by the
 * consistency timeout) for the watch to show that resourceVersion before it lets
 * the processor act on the object's state again, so stale state is never handled.
 * When the processor asks to be called again later (a handler's retry delay), the
 * worker sleeps and re-processes the last event — unless newer events arrive first;
 * unlike Kopf, no "touch" patch is needed to wake up.
 *
 * The processor is injected; this module knows nothing of causes or handlers.
 */
import type { Clock } from './clock.js';
import { Pressure } from './pressure.js';

/** What the processor learns about the queue when it processes an event. */
export interface ProcessingContext {
  /** On while newer events of this object wait in the queue: cut sleeps short. */
  readonly pressure: Pressure;
  /**
   * When set, the processor's own last patch has not been seen on the watch yet;
   * state-dependent work must wait until this time (ms since the epoch) or for
   * newer events, whichever comes first.
   */
  readonly consistencyDeadline: number | undefined;
  /**
   * Asks the queue to process this object's last event again as soon as the
   * current cycle ends (or at once, if it sleeps for a retry): for background
   * tasks whose exit the object is waiting for (a daemon holding a deletion).
   */
  readonly poke: () => void;
}

/** What processing one event asks of the queue. */
export interface ProcessingResult {
  /** The object's resourceVersion after the processor's own patch, if it patched. */
  readonly version?: string | undefined;
  /**
   * Process the same event again after this many ms, unless newer events come
   * first (retries and delays of handlers: no API call is needed to wake up).
   */
  readonly retryAfter?: number | undefined;
}

/** Processes one event of one object. */
export type Processor<E> = (event: E, context: ProcessingContext) => Promise<ProcessingResult | undefined>;

/** Options of {@link ObjectQueues}: the processor, how events map to objects, and the limits. */
export interface QueueingOptions<E> {
  readonly processor: Processor<E>;
  /** The identity of an event's object (its uid, or a fallback). */
  readonly keyOf: (event: E) => string;
  /** The resourceVersion an event carries, to recognise the processor's own patches. */
  readonly versionOf: (event: E) => string | undefined;
  readonly clock: Clock;
  /** ms a worker waits for more events before exiting. Kopf: 5 s. */
  readonly idleTimeout: number;
  /** ms to wait for an own patch to come back through the watch. Kopf: 5 s; 0 disables. */
  readonly consistencyTimeout: number;
  /** At most this many objects processed at once; unlimited when undefined. */
  readonly workerLimit?: number;
  /** Called when the processor itself fails (a framework bug, not a handler error). */
  readonly onError?: (key: string, error: unknown) => void;
}

const END = Symbol('end-of-stream');

interface Stream<E> {
  readonly backlog: (E | typeof END)[];
  readonly pressure: Pressure;
  /** Wakes the worker waiting for the next event. */
  arrived: (() => void) | undefined;
  /** Wakes the worker sleeping before a retry. */
  retrying: (() => void) | undefined;
  /** Re-processing was asked for while the worker was busy. */
  poked: boolean;
  readonly done: Promise<void>;
}

/** Routes the events of many objects to one sequential worker per object. */
export class ObjectQueues<E> {
  readonly #options: QueueingOptions<E>;
  readonly #streams = new Map<string, Stream<E>>();
  readonly #slots: Semaphore;
  #closed = false;

  constructor(options: QueueingOptions<E>) {
    this.#options = options;
    this.#slots = new Semaphore(options.workerLimit ?? Number.POSITIVE_INFINITY);
  }

  /** How many objects have a live worker now. */
  get size(): number {
    return this.#streams.size;
  }

  /** The number of events waiting, over all objects. */
  get depth(): number {
    let depth = 0;
    for (const stream of this.#streams.values()) depth += stream.backlog.length;
    return depth;
  }

  /** Queues an event for its object, starting the object's worker if needed. */
  push(event: E): void {
    if (this.#closed) throw new Error('Cannot queue events after the queues were closed.');
    const key = this.#options.keyOf(event);
    const stream = this.#streams.get(key) ?? this.#spawn(key);
    stream.backlog.push(event);
    stream.pressure.set();
    stream.arrived?.();
  }

  /**
   * Re-processes the object's last event as soon as its worker is free: at once if
   * it sleeps before a retry. Does nothing when the object has no worker.
   */
  poke(key: string): void {
    const stream = this.#streams.get(key);
    if (!stream) return;
    stream.poked = true;
    stream.retrying?.();
  }

  /**
   * Lets every worker finish the events already queued (within `timeout` ms), with
   * its sleeps cut short (retries, throttling, consistency waits) so that no timer
   * outlives the queues; then resolves. Workers still busy after that are left to
   * finish on their own.
   */
  async close(timeout: number): Promise<void> {
    this.#closed = true;
    const streams = [...this.#streams.values()];
    for (const stream of streams) {
      stream.backlog.push(END);
      stream.arrived?.();
      stream.pressure.set(); // cut the sleeps short: retries, throttling, consistency waits
      stream.retrying?.();
    }
    const all = Promise.all(streams.map((stream) => stream.done));
    const abort = new AbortController();
    await Promise.race([all, this.#options.clock.sleep(timeout, abort.signal)]);
    abort.abort();
  }

  #spawn(key: string): Stream<E> {
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const stream: Stream<E> = {
      backlog: [],
      pressure: new Pressure(),
      arrived: undefined,
      retrying: undefined,
      poked: false,
      done,
    };
    this.#streams.set(key, stream);
    void this.#work(key, stream).finally(() => {
      if (this.#streams.get(key) === stream) this.#streams.delete(key);
      resolveDone();
    });
    return stream;
  }

  async #work(key: string, stream: Stream<E>): Promise<void> {
    const { clock, versionOf } = this.#options;
    let expectedVersion: string | undefined;
    let consistencyDeadline: number | undefined;
    const release = await this.#slots.acquire();
    try {
      let again: E | undefined;
      for (;;) {
        const wait = Math.max(this.#options.idleTimeout, (consistencyDeadline ?? 0) - clock.now());
        const event = again ?? (await this.#next(key, stream, wait));
        again = undefined;
        if (event === undefined || event === END) return;
        if (expectedVersion !== undefined && versionOf(event) === expectedVersion) {
          expectedVersion = undefined;
          consistencyDeadline = undefined;
        }
        if (stream.backlog.length === 0) stream.pressure.clear();
        stream.poked = false;
        const poke = (): void => this.poke(key);
        const result = await this.#process(key, event, {
          pressure: stream.pressure,
          consistencyDeadline,
          poke,
        });
        if (result?.version !== undefined && this.#options.consistencyTimeout > 0) {
          expectedVersion = result.version;
          consistencyDeadline = clock.now() + this.#options.consistencyTimeout;
        }
        if (result?.retryAfter !== undefined && !this.#closed) {
          const slept = stream.poked || (await this.#sleepBeforeRetry(stream, result.retryAfter));
          if ((slept || stream.poked) && stream.backlog.length === 0) again = event;
        }
      }
    } finally {
      release();
    }
  }

  /** Sleeps before a retry; resolves true if the time passed or a poke asked to go on now. */
  async #sleepBeforeRetry(stream: Stream<E>, ms: number): Promise<boolean> {
    const wakeup = new AbortController();
    const onPressure = (): void => wakeup.abort();
    if (stream.pressure.signal.aborted) wakeup.abort();
    stream.pressure.signal.addEventListener('abort', onPressure, { once: true });
    stream.retrying = () => wakeup.abort();
    try {
      const slept = await this.#options.clock.sleep(ms, wakeup.signal);
      return slept || stream.poked;
    } finally {
      stream.retrying = undefined;
      stream.pressure.signal.removeEventListener('abort', onPressure);
    }
  }

  async #process(key: string, event: E, context: ProcessingContext): Promise<ProcessingResult | undefined> {
    try {
      return await this.#options.processor(event, context);
    } catch (error) {
      this.#options.onError?.(key, error);
      return undefined;
    }
  }

  /** The next event, or `undefined` once the backlog stayed empty for `wait` ms. */
  async #next(key: string, stream: Stream<E>, wait: number): Promise<E | typeof END | undefined> {
    if (stream.backlog.length === 0) {
      const abort = new AbortController();
      stream.arrived = () => abort.abort();
      await this.#options.clock.sleep(wait, abort.signal);
      stream.arrived = undefined;
      if (stream.backlog.length === 0) {
        // Forget the stream in the same tick as the decision to exit, so that a later
        // event starts a new worker instead of landing in a backlog nobody reads.
        if (this.#streams.get(key) === stream) this.#streams.delete(key);
        return undefined;
      }
    }
    return stream.backlog.shift();
  }
}

/** Limits how many workers process at the same time. */
class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async acquire(): Promise<() => void> {
    if (this.#free > 0) {
      this.#free -= 1;
    } else {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }
}
