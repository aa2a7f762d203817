/**
 * Stopping daemons and timers (Kopf's `stop_daemons` and `stop_daemon`). The stop
 * flag is set at once; a well-written task exits within a few event-loop turns.
 * One that does not is, for daemons with `cancellationBackoff`, "signalled to exit
 * gracefully" and waited for that long; with `cancellationTimeout`, "signalled to
 * exit by force" and waited for that long more; then abandoned with a warning. In
 * JavaScript a promise cannot be cancelled: both escalations are the same abort
 * signal, recorded as separate reasons. Without a timeout, a daemon is waited for.
 *
 * Two flavours: `stopDaemons` for a deleted or mismatching object (never blocks:
 * it answers how long until the next check, so the object's finalizer is only
 * released once its tasks have exited or were abandoned), and `stopDaemon` for an
 * operator pausing or exiting (waits in place, bounded).
 */
import type { DaemonHandler, DaemonStoppingReason, OperatorSettings } from '@kopf/core';
import { describeHandler } from '@kopf/core';
import type { Clock } from './clock.js';
import type { Daemon } from './daemons.js';

interface Escalation {
  readonly backoff: number | undefined;
  readonly timeout: number | undefined;
  readonly polling: number;
}

function escalationOf(daemon: Daemon, settings: OperatorSettings): Escalation {
  const handler = daemon.handler;
  const polling = settings.background.cancellationPolling;
  if (handler.kind !== 'daemon') return { backoff: undefined, timeout: undefined, polling };
  const { cancellationBackoff, cancellationTimeout, cancellationPolling } = handler as DaemonHandler;
  return {
    backoff: cancellationBackoff,
    timeout: cancellationTimeout,
    polling: cancellationPolling ?? polling,
  };
}

/** Gives the task a few event-loop turns (or `instantExitTimeout`) to exit on its own. */
async function waitForInstantExit(daemon: Daemon, settings: OperatorSettings, clock: Clock): Promise<void> {
  if (daemon.finished) return;
  const { instantExitTimeout, instantExitZeroTimeCycles } = settings.background;
  if (instantExitTimeout !== undefined) {
    await waitFor(daemon, instantExitTimeout, clock);
    return;
  }
  for (let cycle = 0; cycle < (instantExitZeroTimeCycles ?? 0) && !daemon.finished; cycle++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Waits until the task exits or `seconds` pass. */
async function waitFor(daemon: Daemon, seconds: number, clock: Clock): Promise<void> {
  if (daemon.finished) return;
  const abort = new AbortController();
  await Promise.race([daemon.done, clock.sleep(seconds * 1000, abort.signal)]);
  abort.abort();
}

/**
 * Asks the tasks to stop and escalates per their timing; resolves to the seconds
 * until each still-exiting task should be checked again (empty when all are gone
 * or abandoned).
 */
export async function stopDaemons(
  daemons: Iterable<Daemon>,
  reason: DaemonStoppingReason,
  settings: OperatorSettings,
  clock: Clock,
): Promise<number[]> {
  const delays: number[] = [];
  for (const daemon of [...daemons]) {
    const { stopper, logger } = daemon;
    const { backoff, timeout, polling } = escalationOf(daemon, settings);
    const title = describeHandler(daemon.handler);
    if (!stopper.has(reason)) {
      stopper.set(reason);
      await waitForInstantExit(daemon, settings, clock);
    }
    const age = (clock.now() - (stopper.since ?? clock.now())) / 1000;
    if (daemon.finished) continue;
    if (backoff !== undefined && age < backoff) {
      if (!stopper.has('daemon-signalled')) {
        stopper.set('daemon-signalled');
        logger.debug(`${title} is signalled to exit gracefully.`);
        await waitForInstantExit(daemon, settings, clock);
      }
      if (!daemon.finished) delays.push(backoff - age);
    } else if (timeout !== undefined && age < timeout + (backoff ?? 0)) {
      if (!stopper.has('daemon-cancelled')) {
        stopper.set('daemon-cancelled');
        logger.debug(`${title} is signalled to exit by force.`);
        await waitForInstantExit(daemon, settings, clock);
      }
      if (!daemon.finished) delays.push(timeout + (backoff ?? 0) - age);
    } else if (timeout !== undefined) {
      if (!stopper.has('daemon-abandoned')) {
        stopper.set('daemon-abandoned');
        logger.warning(`${title} did not exit in time. Leaving it orphaned.`);
      }
    } else {
      logger.debug(`${title} is still exiting. The next check is in ${polling} seconds.`);
      delays.push(polling);
    }
  }
  return delays;
}

/**
 * Stops one task in place: signals it, waits through its backoff and timeout (or,
 * without a timeout, up to `grace` seconds), then abandons it if it still runs.
 */
export async function stopDaemon(
  daemon: Daemon,
  reason: DaemonStoppingReason,
  settings: OperatorSettings,
  clock: Clock,
  grace: number,
): Promise<void> {
  const { stopper, logger } = daemon;
  const { backoff, timeout } = escalationOf(daemon, settings);
  const title = describeHandler(daemon.handler);
  stopper.set(reason);
  await waitForInstantExit(daemon, settings, clock);
  if (daemon.finished) logger.debug(`${title} has exited gracefully.`);
  if (!daemon.finished && backoff !== undefined) {
    stopper.set('daemon-signalled');
    logger.debug(`${title} is signalled to exit gracefully.`);
    await waitFor(daemon, backoff, clock);
  }
  if (!daemon.finished && timeout !== undefined) {
    stopper.set('daemon-cancelled');
    logger.debug(`${title} is signalled to exit by force.`);
    await waitFor(daemon, timeout, clock);
  }
  if (!daemon.finished && timeout === undefined) await waitFor(daemon, grace, clock);
  if (!daemon.finished) {
    stopper.set('daemon-abandoned');
    logger.warning(`${title} did not exit in time. Leaving it orphaned.`);
  }
}
