/**
 * The `stopped` kwarg of daemons and timers: how a long-running function learns
 * that it must exit. It is an AbortSignal at heart (so it can be passed to `fetch`,
 * timers and any abortable API) plus Kopf's conveniences: a flag to poll and a
 * `wait(seconds)` that doubles as an interruptible sleep. The reactor implements it.
 */

/** Why a daemon is being stopped (Kopf's `DaemonStoppingReason`, as string literals). */
export type DaemonStoppingReason =
  | 'done'
  | 'filters-mismatch'
  | 'resource-deleted'
  | 'operator-pausing'
  | 'operator-exiting'
  | 'daemon-signalled'
  | 'daemon-cancelled'
  | 'daemon-abandoned';

/**
 * The stop flag of a daemon or timer.
 *
 * Guarantees: `aborted` and `signal.aborted` become true together, once, and stay
 * true; `reason` is set at the same moment. `wait()` never rejects.
 * Caveats: a daemon that never looks at `stopped` (a busy synchronous loop) cannot
 * be stopped; it is abandoned after `cancellationTimeout`, and the finalizer is then
 * released without waiting for it.
 *
 * @example
 * on.daemon('kopfexamples', async ({ stopped, logger }) => {
 *   while (!stopped.aborted) {
 *     logger.info('working');
 *     await stopped.wait(10); // sleeps 10 s, or less if stopping
 *   }
 * });
 */
export interface DaemonStopped {
  /** Whether stopping has been requested. */
  readonly aborted: boolean;
  /** Aborted when stopping is requested; its `reason` is the {@link DaemonStoppingReason}. */
  readonly signal: AbortSignal;
  /** Why stopping was requested; `undefined` while running. */
  readonly reason: DaemonStoppingReason | undefined;
  /**
   * Resolves after `seconds` (or when stopping is requested, if sooner; without
   * `seconds`, only then). Resolves to `true` if stopping was requested.
   */
  wait(seconds?: number): Promise<boolean>;
}
